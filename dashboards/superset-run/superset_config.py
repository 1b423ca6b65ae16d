# Superset's settings for a local run over the mart: SQLite metadata, no Redis, no Celery, on 127.0.0.1 only.
# SUPERSET_STATE is the folder of this run's metadata database (superset.sh sets it).
import os

SECRET_KEY = os.environ.get("CDS_SUPERSET_SECRET_KEY", "cds-local-superset-only-never-deployed-0123456789")
SQLALCHEMY_DATABASE_URI = "sqlite:///" + os.path.join(os.environ["SUPERSET_STATE"], "superset.db")
# API imports and logins from scripts; the chart-data endpoint is CSRF-exempt anyway
WTF_CSRF_ENABLED = False
TALISMAN_ENABLED = False
# no cache: every chart asks the mart, so a rebuilt mart shows at the next load
CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
DATA_CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
# numbers as Vietnamese write them: 1.234,5 and 58,8 %
D3_FORMAT = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"]}
FEATURE_FLAGS = {}
