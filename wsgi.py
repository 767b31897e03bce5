"""WSGI entry point: `gunicorn wsgi:app`, or `flask --app wsgi ...`."""
import os

from forum import create_app

# A server process loads jieba and reads the search index in the background as it starts,
# instead of in its first search (about 4 s); FORUM_SEARCH_WARMUP=0 turns that off.
app = create_app({"SEARCH_WARMUP": os.environ.get("FORUM_SEARCH_WARMUP", "1") != "0"})
