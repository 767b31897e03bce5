"""The README's quick start and configuration table stay true to the code."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")


def _command(marker):
    match = re.search(rf"<!-- quick-start:{marker} -->\n```sh\n(.+)\n```", README)
    assert match, f"README lost its quick-start:{marker} command"
    return match.group(1)


def test_quick_start_is_two_commands_install_and_demo_then_test():
    assert _command("demo").endswith("forum demo") and "pip install -e ." in _command("demo")
    assert "pip install -e '.[test]'" in _command("test") and "pytest" in _command("test")


def test_ci_runs_the_readme_test_command():
    assert "quick-start:test" in (ROOT / ".ci/run").read_text()


def test_every_forum_variable_the_code_reads_is_documented():
    config = (ROOT / "forum/config.py").read_text()
    names = set(re.findall(r'_(?:env|flag)\("([A-Z_]+)"', config))
    assert names, "config.py reads no FORUM_ variables?"
    undocumented = sorted(n for n in names if f"`FORUM_{n}`" not in README)
    assert undocumented == []
