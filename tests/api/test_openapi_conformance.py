"""Every operation of /api/v1/ answers as its OpenAPI document says, for any input, and never fails.

schemathesis loads the document from the app itself (WSGI, no network server) over the
demo data, so the lists and items have real needs, minutes and poll results to check
against the schemas. Positive cases must be answered (200, or 404 for an id or community
that does not exist); negative ones (a parameter the document rules out) refused with a
documented 4xx. (Its pytest plugin's lazy fixture loader does not run under pytest 9, so
the operations are walked here with Hypothesis' `given`.)
"""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.modes import GenerationMode

from forum.api.collections import COLLECTIONS

EXAMPLES = 30


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def _check(operation, mode) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def answers_as_documented(case):
        case.call_and_validate()

    answers_as_documented()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_conforms_to_the_document(app, demo, mode):
    operations = _operations(app)
    paths = {operation.path for operation in operations}
    assert paths >= {f"/api/v1/{name}{end}" for name in COLLECTIONS for end in ("", "/{id}")}, paths
    for operation in operations:
        if mode == GenerationMode.NEGATIVE and not operation.path_parameters and not operation.query:
            continue  # nothing to get wrong
        _check(operation, mode)
