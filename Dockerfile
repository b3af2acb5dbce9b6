# The web app for docker-compose.yml. Local tools are installed too, so the same image runs the
# development server with the debug toolbar and the test suite against the compose services.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements/ requirements/
# querycheck, the query toolkit, is installed from its folder (requirements/local.txt: -e).
COPY querycheck/ querycheck/
RUN pip install -r requirements/local.txt
COPY . .

EXPOSE 8000
# Static files for WhiteNoise under the production settings (build-time values, never used).
RUN DJANGO_SETTINGS_MODULE=config.settings.production DJANGO_SECRET_KEY=collectstatic-only \
    DJANGO_ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput -v 0
CMD ["gunicorn", "--config=config/gunicorn.py", "config.wsgi"]
