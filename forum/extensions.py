"""The Flask extensions, created unbound here and bound in create_app()."""
from flask_babel import Babel
from flask_caching import Cache
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from forum.core.models import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
htmx = HTMX()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)
page_cache = Cache()  # forum/core/page_cache.py
