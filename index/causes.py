"""Whether a question asks why, and whether a sentence gives a cause or a reason. "Pourquoi la
taxe foncière augmente-t-elle ?" is answered by « La municipalité justifie ce choix par la hausse
de ses dépenses », not by « Le taux de la taxe foncière … passera de 45,2 % à 47 % », which holds
the question's words; news gives a cause with a connector (« car », « parce que », « en raison
de », « à cause de », « faute de », « grâce à »), in the sentence after (« En effet, … ») or in
one naming the reason (« La raison … est simple », « … s'explique par … », « En cause, … »,
« La chaleur explique cette hausse », « invoque … »), or a participle's clause (« …, leurs forages
étant à sec », « La route étant coupée, … », « étant donné … »; not « Le maire, étant absent, … »).
Pure functions of the text: French surface rules, none keyed to a subject's words.
"""

from __future__ import annotations

import re

from index.measures import quantity_spans
from index.tenses import speaks_of_future, tells_past

# "Pourquoi …", "Pour quelle raison …", "Et pourquoi ?", "À cause de quoi …", "Qu'est-ce qui
# explique …", "Qu'est-ce qui l'a provoqué ?", "Comment expliquer …", "Comment s'explique …", and
# "Comment … justifie-t-il / explique-t-elle … ?" (how someone accounts for something: their reasons).
_ASKS_WHY = re.compile(
    r"^\W*(?:et\s+)?(?:pourquoi\b|pour quelles? raisons?\b|à cause de quoi\b|pour quel motif\b"
    r"|qu'est-ce qui (?:l'|les |la |le )?(?:a |ont |avait |va |vont )?"
    r"(?:expliqu|justifi|motiv|caus|provoqu|déclench)(?:e|ent|é|ée|és|ées|er)\b"
    r"|comment (?:s'expliquen?t?|expliquer|justifier)\b"
    r"|comment\b.*\b(?:justifi|expliqu)\w*)",
    re.IGNORECASE,
)

# A cause, a reason or a purpose given: the connectors of French prose, and the verbs and nouns
# that name a reason ("la raison", "s'explique par", "justifie … par", "attribue … à", "en
# cause", "dû à"); a consequence (", ce qui"); a purpose ("afin de"). Not a bare "pour", which
# is mostly a preposition of anything.
# What a cause explains: a change, a decision, a state of things (« cette hausse », « ce choix »).
_CHANGES = (
    "hausses?|baisses?|chutes?|reculs?|augmentations?|diminutions?|décisions?|choix|retards?|succès|échec"
    "s?|situations?|phénomènes?|envolées?|flambées?|écarts?|différences?|évolutions?|changements?|progres"
    "sions?|déficits?|pénuries?|fermetures?|départs?|engouements?|désaffections?|records?|dégradations?|a"
    "méliorations?|tensions?|colères?|affluences?|crises?|résultats?|chiffres?|pertes?|difficultés?|absences?|manques?|problèmes?|incidents?|accidents?|dysfonctionnements?|surcoûts?|dérapages?"
)
_GIVES_CAUSE = re.compile(
    # A purpose the sentence opens on: "Pour" and an infinitive (« Pour absorber la hausse, elle
    # va recruter … »), a pronoun between at most; inside a sentence "pour" and an infinitive
    # is mostly what a deed is for (« qui a mené les recherches pour authentifier l'œuvre »), no
    # reason of what is asked.
    r"^\W*pour (?:se |s'|y |en |leur |lui )?(?!(?:notre|votre|autre|entre|contre)(?![\w]))"
    r"[a-zàâçéèêëîïôûùüÿœ]+(?:er|ir|re)(?![\w])"
    # A consequence: « …, ce qui a interdit sa sortie du territoire ».
    r"|, ce qu(?:i|')"
    # Someone's words given as their reasons: « Les 80 km/h ont été vécus comme une punition »,
    # a justifié le président (what a justification, an explanation or a plea says is why).
    r"|[»”]\s*,\s*(?:(?:a|avait|ont)(?:-t-(?:il|elle)|-ils|-elles)? )?"
    r"(?:justifi|expliqu|argu|plaid|fai(?:t|s|sai\w*) valoir)\w*"
    r"|(?<![\w-])(?:(?:en raison|à cause|faute|du fait|à la suite|suite|sous l'effet|compte tenu|afin|à l'origine"
    r"|dans le but|pour cause|dûe?s?|due?s?|grâce) (?:(?:de|du|des|à|au|aux)(?![\w])|d')"
    r"|(?:parce|puis|afin) ?qu(?:e(?![\w])|')"
    # « car », the conjunction, not the coach: « en car », « le car scolaire », « son car », « le nouveau car ».
    r"|(?<![\w])(?<!\ben )(?<!\bun )(?<!\ble )(?<!\bdu )(?<!\bde )(?<!\bdes )(?<!\bles )(?<!\bce )"
    r"(?<!\bpar )(?<!\bau )(?<!\bson )(?<!\bmon )(?<!\bton )(?<!\bleur )(?<!\bnotre )(?<!\bvotre )"
    r"(?<!\bnouveau )(?<!\bpremier )(?<!\bdernier )(?<!\bautre )(?<!\bmême )car(?![\w])"
    r"|(?:en effet|raisons?|motifs?|explications?|en cause|étant donné|s'expliquen?t?|provoqu[ée]\w*|entraîné\w*"
    r"|expliqu\w*(?: [\w'-]+){0,6} par|justifi\w*(?: [\w'-]+){0,6} par|caus[ée]\w* par"
    r"|attribu\w*(?: [\w'-]+){0,6} à)(?![\w])"
    # What the cause does to the fact: « La chaleur explique en grande partie cette hausse »,
    # a thing's verb in the present before a change or a decision; not someone's explaining,
    # « Le maire a expliqué cette semaine le calendrier », « …, explique cette habitante ». A
    # reason someone puts forward: « Le promoteur invoque la faillite de l'entreprise ».
    rf"|(?<![\w])(?<![,»”] )(?:expliquen?t?|expliquait|expliquaient)(?: [\w'-]+){{0,3}}? (?:ce|cet|cette|ces) "
    rf"(?:{_CHANGES})(?![\w])|(?<![\w])invoqu\w*(?![\w])"
    # A participle's clause of a thing its own: « …, leurs forages étant à sec »; not « la
    # première étant fixée au 3 mai », « Le maire, étant absent, … », « tout en étant … ».
    r"|(?<![\w])(?:leurs?|son|sa|ses) [\w'-]+ étant(?![\w])"
    # … or opening the sentence: « Les forages étant à sec, … », « La route étant coupée, … ».
    r"|^\W*(?:les?|la|l'|ces?|cette|cet) ?[\w'-]+ étant(?![\w]))",
    re.IGNORECASE,
)


# What a result owes to its cause: « Cette embellie doit beaucoup à l'hiver dernier ». Read apart
# from the connectors: the same words state a debt when an amount follows its creditor (`_owes`).
_OWES_TO = re.compile(
    r"(?<![\w])(?:doi[st]|doivent|devait|devaient|doit|a dû|ont dû) (?:beaucoup|en partie|surtout|largement"
    r"|essentiellement|avant tout|principalement|pour partie|en grande partie) (?:à|au|aux)(?![\w])",
    re.IGNORECASE,
)
# Where an amount owed ends its clause: the next stop, semicolon or colon.
_CLAUSE_END = re.compile(r"[.;:!?]")


def _owes_to_a_cause(sentence: str) -> bool:
    """Whether `sentence` says what a result owes to its cause (« Cette embellie doit beaucoup à
    l'hiver dernier »), not a debt: « La commune doit en partie à l'État 2 millions » owes money,
    an amount standing after the creditor in its clause; « doit beaucoup aux 2 millions d'euros
    investis » owes its success to the amount it names right after « aux »."""
    for owed in _OWES_TO.finditer(sentence):
        end = _CLAUSE_END.search(sentence, owed.end())
        clause = sentence[owed.end() : end.start() if end else len(sentence)]
        amounts = quantity_spans(clause, "money")
        if not amounts or not _names_a_creditor(clause[: amounts[0][0]]):
            return True
    return False


# What a creditor's noun phrase does not hold: a comma, a relative (« à ses supporters, qui ont
# donné 200 000 euros »), a preposition opening another complement (« à la vente de deux joueurs
# au Stade toulousain pour 1,2 million »).
_NOT_A_CREDITOR = re.compile(
    r"[,()«»]|(?<![\w'])(?:qui|que|qu'|dont|où|pour|par|avec|après|avant|depuis|dans|sur|lors|contre|grâce|au|aux"
    r"|en|et|ou|mais)(?![\w'])",
    re.IGNORECASE,
)
# The words a creditor's noun phrase holds at most (« à la Caisse des dépôts et consignations »).
_CREDITOR_WORDS = 6


def _names_a_creditor(between: str) -> bool:
    """Whether the words between « doit … à » and the amount after them are only whom it is owed
    to (« à l'État 2 millions »), so that the amount is the debt: none (« aux 2 millions
    investis »: the cause), or more than a short noun phrase, is no creditor."""
    words = between.split()
    return 0 < len(words) <= _CREDITOR_WORDS and _NOT_A_CREDITOR.search(between) is None


def asks_why(question: str) -> bool:
    """Whether `question` asks for a cause or a reason ("Pourquoi ?", "Pour quelle raison la
    ville … ?", "Comment la mairie justifie-t-elle la hausse ?")."""
    return _ASKS_WHY.search(question.replace("’", "'")) is not None


def gives_cause(sentence: str) -> bool:
    """Whether `sentence` gives a cause, a reason or a purpose (« … parce que leurs parents ne
    peuvent pas payer », « En effet, … », « La raison de cette fermeture est simple : … »)."""
    straight = _INCISE.sub("", sentence.replace("’", "'"))
    return _GIVES_CAUSE.search(straight) is not None or _owes_to_a_cause(straight)


# Whose words a cause is, set between commas: « La sécheresse, selon l'expert, explique cette
# hausse » is read without it, as « La sécheresse explique cette hausse ».
_INCISE = re.compile(r",\s*(?:selon|d'après)\s+[^,.;:!?«»]{1,60},(?=\s)", re.IGNORECASE)


def may_cause(sentence: str) -> bool:
    """Whether `sentence` tells something that happened, which may be the cause of the fact
    after it news states without a connector (« Le vent a soufflé à 90 km/h. Il a formé des
    congères. »): a past event (`tenses.tells_past`, « s'est abattue »), or a change under way
    (« de plus en plus doux »), said in no future and no quotation. Not a state (« Le maire,
    Paul Roy, 58 ans, est ingénieur »), what is to come (« La médiathèque ouvrira ses portes le
    4 mars »), nor someone's words (« « C'est une catastrophe », estime Paul Roy »)."""
    text = sentence.replace("’", "'")
    if _QUOTATION.search(text) or speaks_of_future(text):
        return False
    return tells_past(text) or _HAPPENED.search(text) is not None


# A quotation's marks: « … », “…”, "…".
_QUOTATION = re.compile(r"[«»“”\"]")
# What happened said with « être » (« s'est abattue », « se sont effondrés », « est tombée »), or
# a change under way (« de plus en plus doux », « de moins en moins »).
_HAPPENED = re.compile(
    r"(?<![\w])(?:(?:s'|se\s+)(?:est|sont|était|étaient)\s+[a-zàâçéèêëîïôûùüÿœ]+(?:é|ée|és|ées|i|ie|is|u|ue|us|t|te)"
    r"|(?:est|sont|était|étaient)\s+(?:tombée?s?|passée?s?|devenue?s?|arrivée?s?|survenue?s?|morte?s?|partie?s?)"
    r"|de (?:plus|moins) en (?:plus|moins))(?![\w])",
    re.I,
)


def says_consequence(sentence: str) -> bool:
    """Whether `sentence` states a consequence of what the sentences before it say (« Les rames
    sont donc bondées à cette heure-là », « C'est pourquoi la ville emprunte », « Par conséquent,
    … »): its cause is there, in whatever tense (« Le réseau fuit de partout »). Not a question
    (« Faut-il donc fermer ? »), a quotation (« « Il faut donc agir », dit-il »: its speaker's
    words), nor « donc » in an interjection (« Dis donc », « Allons donc »)."""
    text = sentence.replace("’", "'").strip()
    if _QUOTATION.search(text) or text.rstrip('»”") ').endswith("?"):
        return False
    return _CONSEQUENCE.search(text) is not None and _NOT_CONSEQUENCE.search(text) is None


# The adverbs of consequence that open on what was said before: « donc », « par conséquent »,
# « c'est pourquoi », « c'est pour cela que », « de ce fait »; not « dès lors » (also a time).
# « donc » in lower case, or « Donc » opening the sentence: « la Donc » is a river's name.
_CONSEQUENCE = re.compile(
    r"(?<![\w'])donc(?![\w])|^Donc(?![\w])"
    r"|(?i:(?<![\w'])(?:par conséquent|c'est pourquoi|c'est pour (?:cela|ça) qu|de ce fait)(?![\w]))"
)
# « donc » that draws no consequence: in an interjection (« Dis donc », « Dis-donc », « Allons
# donc »), in what is left to know (« Reste donc à savoir … »), in a question put indirectly
# (« Les élus se demandent donc pourquoi … »), or in how long ago (« Il y a donc 30 ans que … »).
_NOT_CONSEQUENCE = re.compile(
    r"(?<![\w'])(?:(?:dis|dites|allons|allez|voyons|tiens|tenez|viens|venez)(?:\s+|-)donc"
    r"|reste(?:nt|rait|ait)?\s+donc\s+à"
    r"|(?:se|me|te|nous|vous)\s+demand[a-zé]*\s+donc"
    r"|il\s+y\s+a(?:vait)?\s+donc\s+(?:(?:près\s+de|plus\s+de|environ|déjà)\s+)?(?:\d[\d\s]*|[a-zé-]+)\s+"
    r"(?:ans?|années?|mois|semaines?|jours?|heures?|siècles?|décennies?)\b)",
    re.I,
)
