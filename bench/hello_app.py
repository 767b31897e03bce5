"""The bare baseline of the load benchmark: Flask answering "hello", served like the site (`hello_app:app`)."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "hello"
