"""Rates and averages as a reader hears them (`index.rates`): which questions ask a figure per
something, and which sentences state one. A wrong rate asked makes the bot decline a question it
can answer; a rate not seen makes it decline a sentence that answers."""

from __future__ import annotations

from index.rates import Rate, asked_rate, states_rate


def test_par_naming_a_doer_or_a_means_asks_no_rate():
    """« par » before a name (« supprimés par Renault », « construites par Staline », « par LO »)
    or a means (« par Internet », « par autoroute », « par noyade », « par procuration ») says who
    or how, not per what: the question asks a total."""
    for question in (
        "Combien de postes seront supprimés par Renault ?",
        "Combien de maisons ont été construites par Staline ?",
        "Combien de voix ont été obtenues par LO en 2001 ?",
        "Combien de meubles ont été donnés par Emmaüs ?",
        "Combien de logements seront construits par Nexity ?",
        "Combien de billets ont été vendus par Internet ?",
        "Combien de camions arrivent par autoroute ?",
        "Combien de personnes sont mortes par noyade cet été ?",
        "Combien d'électeurs ont voté par procuration ?",
    ):
        assert asked_rate(question) is None, question
    # A unit of time, a person or a place after « par » still asks a rate.
    assert asked_rate("Combien de médecins y a-t-il par habitant ?") == Rate("habit", False)
    assert asked_rate("Combien d'élèves y a-t-il par classe ?") == Rate("class", False)
    assert asked_rate("Combien de trains passent par jour ?") == Rate("jour", True)


def test_tous_les_asks_a_rate_only_before_a_time():
    """ "Combien coûteront tous les travaux de l'usine ?" asks all of them, a total; « tous les
    ans » a yearly figure."""
    assert asked_rate("Combien coûteront tous les travaux de l'usine de Flins ?") is None
    assert asked_rate("Combien de salariés travaillent dans toutes les usines du groupe ?") is None
    assert asked_rate("Combien de visiteurs viennent tous les ans ?") == Rate("an", True)
    assert asked_rate("Combien de bus passent toutes les semaines ?") == Rate("semaine", True)


def test_moyen_asks_an_average_only_after_a_quantity_or_in_en_moyenne():
    """« moyens » the noun, « par quel moyen », « le Moyen Âge », « la classe moyenne » ask no
    average; « salaire moyen », « âge moyen », « en moyenne » do."""
    for question in (
        "Quels moyens la préfecture a-t-elle déployés contre l'incendie ?",
        "Par quel moyen les migrants ont-ils traversé la Manche ?",
        "Quand le château a-t-il été construit au Moyen Âge ?",
        "Qui défend la classe moyenne ?",
    ):
        assert asked_rate(question) is None, question
    assert asked_rate("Quel est le salaire moyen des infirmières ?") == Rate(None, False, measure_kind="money")
    assert asked_rate("Quel est l'âge moyen des agriculteurs ?") == Rate(None, False, measure_kind="age")
    assert asked_rate("Combien d'enfants y a-t-il en moyenne ?") == Rate(None, False)
    # Nor does a sentence speaking of means state an average.
    assert not states_rate("La préfecture a déployé d'importants moyens aériens.", Rate(None, False))


def test_a_rate_written_in_the_ordinary_ways_of_news_is_a_rate():
    """« 70 km/h » is a speed per hour, « un médecin pour 1 500 habitants » a count per
    inhabitant, « 400 000 skieurs l'hiver » a count each winter, and a year's count (« l'an
    dernier », « en 2025 ») answers a yearly rate."""
    per_hour = asked_rate("Combien de kilomètres par heure les voitures peuvent-elles rouler ?")
    assert states_rate("La vitesse y est désormais limitée à 70 km/h.", per_hour)
    per_inhabitant = asked_rate("Combien de médecins y a-t-il par habitant ?")
    assert states_rate("On compte un médecin généraliste pour 1 500 habitants.", per_inhabitant)
    assert not states_rate("Le cabinet a été rénové pour 2 millions d'euros.", per_inhabitant)
    each_winter = asked_rate("Combien de skieurs viennent chaque hiver ?")
    assert states_rate("La station accueille 400 000 skieurs l'hiver.", each_winter)
    yearly = asked_rate("Combien de visiteurs le musée reçoit-il par an ?")
    assert states_rate("Le musée a reçu 120 000 visiteurs l'an dernier.", yearly)
    assert states_rate("Le musée a reçu 120 000 visiteurs en 2025.", yearly)
    # A figure for another time is still none: « en moyenne 45 minutes » a sortie.
    assert not states_rate("Une sortie dure en moyenne 45 minutes.", yearly)


def test_par_before_a_vehicle_a_place_or_a_noun_of_an_act_asks_a_rate():
    """« par section », « par bus », « par exploitation », « par circonscription », « par station »
    are units: "Combien de passagers y a-t-il par bus ?" asks a rate, and a count followed by
    « par » and any noun (« 25 élèves par section ») states one."""
    for question, unit in (
        ("Combien d'élèves y a-t-il par section ?", "section"),
        ("Combien de passagers y a-t-il par bus ?", "bus"),
        ("Combien de vaches y a-t-il par exploitation ?", "exploitation"),
        ("Combien de candidats y a-t-il par circonscription ?", "circonscription"),
        ("Combien de places y a-t-il par avion ?", "avion"),
        ("Combien de vélos y a-t-il par station ?", "station"),
    ):
        rate = asked_rate(question)
        assert rate is not None and not rate.timed and rate.unit is not None and unit.startswith(rate.unit), question
    assert states_rate("Le lycée accueille 25 élèves par section.", Rate(None, False))


def test_pour_and_a_number_rates_only_one_thing_for_many():
    """« un médecin pour 1 500 habitants », « une place pour 3 candidats » are rates; « 12 pour
    cent des électeurs », « prévu pour 2027 », « condamné pour 3 vols », « choisie pour 2 raisons »
    and « un repas de gala pour 1 000 personnes » are not: "Combien coûte le repas par personne ?"
    is not answered by a meal's price for a thousand."""
    per_person = asked_rate("Combien coûte le repas par personne ?")
    assert per_person is not None
    assert not states_rate("Un repas de gala pour 1 000 personnes coûtera 80 000 euros.", per_person)
    assert not states_rate("Le repas, servi pour 1 000 personnes invitées, coûte 80 000 euros.", per_person)
    for sentence in (
        "Le maire a obtenu 12 pour cent des électeurs inscrits.",
        "Le chantier est prévu pour 2027 et coûtera 3 millions.",
        "L'homme a été condamné pour 3 vols en 2024.",
        "Cette commune a été choisie pour 2 raisons.",
    ):
        assert not states_rate(sentence, Rate(None, False)), sentence
    assert states_rate("Il y a une place pour 3 candidats.", Rate("candidat", False))


def test_a_year_named_or_a_time_of_the_year_is_no_yearly_rate():
    """« toute l'année », « au début de l'année », « l'année prochaine » count nothing per year,
    nor does a figure per day for a line opening in 2030; « l'an dernier », « l'année dernière »
    and a past year's count still give a yearly figure."""
    yearly = asked_rate("Combien de voyageurs la ligne transporte-t-elle par an ?")
    assert yearly is not None
    for sentence in (
        "La ligne transportera 30 000 voyageurs par jour dès sa mise en service en 2030.",
        "Le musée ouvre toute l'année et accueille 300 visiteurs.",
        "Au début de l'année, 40 voyageurs ont été contrôlés.",
        "L'année prochaine, 2 000 voyageurs sont attendus.",
    ):
        assert not states_rate(sentence, yearly), sentence
    assert states_rate("La ligne a transporté 2 millions de voyageurs l'année dernière.", yearly)
    assert states_rate("La ligne a transporté 2 millions de voyageurs en 2024.", yearly)


def test_a_middle_sized_town_or_firm_asks_no_average():
    """« une ville de taille moyenne », « une moyenne entreprise » say a size, not an average:
    "Combien d'habitants compte cette ville de taille moyenne ?" asks a total."""
    assert asked_rate("Combien d'habitants compte cette ville de taille moyenne ?") is None
    assert asked_rate("Combien de salariés compte cette entreprise de taille moyenne ?") is None
    assert asked_rate("Combien de salariés compte une moyenne entreprise du secteur ?") is None
    assert asked_rate("Quelle est la taille moyenne des fleurs ?") == Rate(None, False, measure_kind="length")
    assert asked_rate("Combien d'élèves y a-t-il en moyenne ?") == Rate(None, False)
    assert states_rate("Les élèves ont une moyenne de 12 sur 20.", Rate(None, False))


def test_about_so_is_an_average_only_of_a_measure_asked_said_with_its_unit():
    """« Elles ont environ 2 cm de diamètre » answers "Quelle est la taille moyenne des fleurs ?";
    « Environ 300 agriculteurs ont manifesté » says no average age, nor « en général » anything."""
    size = asked_rate("Quelle est la taille moyenne des fleurs ?")
    assert size is not None
    assert states_rate("Elles ont environ 2 cm de diamètre.", size)
    assert states_rate("Les tiges mesurent entre 100 et 200 mètres.", size)
    assert states_rate("Les tiges mesurent environ trente centimètres.", size)  # a number in words
    assert not states_rate("Environ 300 fleurs ont été cueillies.", size)
    for other_kind_or_a_time_ago in (
        "Il y a environ un an, le gîte a rouvert ses portes.",
        "Environ deux cents nuits ont été réservées.",
        "D'ordinaire, une semaine suffit.",
        "Environ 45 000 m³ d'eau ont été pompés.",
        "En général, la 4 L de 1990 démarre encore.",
    ):
        assert not states_rate(other_kind_or_a_time_ago, size), other_kind_or_a_time_ago
    stay = asked_rate("Quelle est la durée moyenne d'un séjour ?")
    assert stay is not None
    assert states_rate("Les visiteurs restent environ trois jours.", stay)
    assert not states_rate("Il y a environ un an, le gîte a rouvert ses portes.", stay)
    assert not states_rate("Environ 45 000 m³ d'eau ont été pompés.", stay)
    age = asked_rate("Quel est l'âge moyen des agriculteurs ?")
    assert age is not None
    assert not states_rate("Environ 300 agriculteurs ont manifesté devant la préfecture.", age)
    assert not states_rate("En général, 40 agriculteurs viennent au marché.", age)
    pay = asked_rate("Quel est le salaire moyen d'un infirmier ?")
    assert pay is not None
    assert states_rate("Un infirmier gagne environ 2 000 euros par mois.", pay)
    assert not states_rate("Environ 2 000 infirmiers ont manifesté.", pay)


def test_an_amount_of_money_about_so_is_an_average_only_as_a_rate_in_time():
    """« Un infirmier gagne environ 2 000 euros par mois » answers "Quel est le salaire moyen … ?";
    a one-off total said about so (« L'hôpital coûtera environ 120 millions d'euros ») does not."""
    pay = asked_rate("Quel est le salaire moyen d'un infirmier ?")
    rent = asked_rate("Quel est le loyer moyen à Lyon ?")
    assert pay is not None and rent is not None
    for rated in (
        "Un infirmier gagne environ 2 000 euros par mois.",
        "Un infirmier touche environ 30 000 euros annuels.",
        "Un infirmier gagne environ 30 000 euros l'an.",
        "Le loyer mensuel est d'environ 800 euros.",
        "La facture s'élève à environ 90 euros chaque mois.",
    ):
        assert states_rate(rated, pay), rated
        assert states_rate(rated, rent), rated
    for total in (
        "Le nouvel hôpital coûtera environ 120 millions d'euros.",
        "Le budget de la commune s'élève à environ 3 millions d'euros.",
        "Les travaux ont coûté environ 2 millions d'euros en 2025.",
        "La facture s'élève à environ 900 euros.",
    ):
        assert not states_rate(total, pay), total
        assert not states_rate(total, rent), total


def test_a_number_of_years_since_ago_or_for_is_no_age():
    """« Les pompiers ont environ 35 ans » answers "Quel est l'âge moyen des pompiers ?"; « engagés
    depuis environ dix ans » says how long, not how old."""
    age = asked_rate("Quel est l'âge moyen des pompiers ?")
    assert age is not None
    for aged in (
        "Les pompiers volontaires ont environ 35 ans.",
        "Les pompiers sont âgés d'environ 35 ans.",
        "Les pompiers ont entre 25 et 40 ans.",
    ):
        assert states_rate(aged, age), aged
    for how_long in (
        "Les pompiers sont engagés depuis environ dix ans.",
        "Il y a environ dix ans, la caserne a ouvert.",
        "Les pompiers ont servi pendant environ vingt ans.",
        "Ils patrouillent durant environ deux ans avant de monter en grade.",
    ):
        assert not states_rate(how_long, age), how_long
    stay = asked_rate("Quelle est la durée moyenne d'un séjour ?")
    assert stay is not None
    assert states_rate("Les visiteurs restent pendant environ trois jours.", stay)
