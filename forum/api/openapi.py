"""The OpenAPI 3 document of /api/v1/, written as data.

Paths come from the collections (forum/api/collections.py), so a collection cannot be
served without being described; the record schemas below forbid any property they do
not name, and tests/api checks every answer against them (schemathesis).
"""
from forum.core.categories import CATEGORIES
from forum.deliberations.models import DELIBERATION_KINDS
from forum.lists.models import RESOURCE_KINDS, URGENCY_LEVELS
from forum.voting.models import ELECTORATES, METHODS, PASS_RULES

PAGING = {
    "page": {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1, "description": "Which page, from 1."},
    "per_page": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20,
                 "description": "Items per page (at most 100)."},
}


def _nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


def _object(properties: dict, description: str = "") -> dict:
    found = {"type": "object", "additionalProperties": False, "required": list(properties), "properties": properties}
    return {**found, "description": description} if description else found


STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
COUNT = {"type": "integer", "minimum": 0}
ID = {"type": "integer", "minimum": 1}
URL = {"type": "string", "format": "uri"}
DATE = {"type": "string", "format": "date"}
TIME = {"type": "string", "format": "date-time"}
PERCENT = _nullable({"type": "number", "minimum": 0, "maximum": 100})
REF = {"CommunityRef": {"$ref": "#/components/schemas/CommunityRef"},
       "UnitRef": _nullable({"allOf": [{"$ref": "#/components/schemas/UnitRef"}]})}


def _ids(description: str) -> dict:
    return {"type": "array", "items": ID, "description": description}


SCHEMAS = {
    "CommunityRef": _object({"id": ID, "name": STRING}),
    "UnitRef": _object({"id": ID, "name": STRING}, "A unit stationed in the district (驻区单位)."),
    "Community": _object({"id": ID, "name": STRING, "street": STRING, "description": STRING, "url": URL}),
    "Need": _object({
        "id": ID, "url": URL, "community": REF["CommunityRef"], "title": STRING,
        "body": {"type": "string", "description": "Markdown, as written."},
        "category": {"type": "string", "enum": list(CATEGORIES)},
        "urgency": {"type": "integer", "enum": list(URGENCY_LEVELS)}, "status": STRING,
        "place": _nullable(STRING), "support_count": COUNT, "entered_by_staff": BOOLEAN,
        "claimed_by_unit": REF["UnitRef"], "resolution": _nullable(STRING),
        "rating": _nullable({"type": "integer", "minimum": 1, "maximum": 5}), "merged_into": _nullable(ID),
        "photos": {"type": "array", "items": URL}, "created_at": TIME, "updated_at": TIME,
    }, "A need (需求). Who raised it is never given."),
    "Resource": _object({
        "id": ID, "url": URL, "community": REF["CommunityRef"], "title": STRING, "body": STRING,
        "category": {"type": "string", "enum": list(CATEGORIES)},
        "kind": {"type": "string", "enum": list(RESOURCE_KINDS)}, "capacity": _nullable(STRING),
        "available_from": _nullable(DATE), "available_until": _nullable(DATE),
        "scope": {"type": "string", "enum": ["communities", "street"]}, "status": STRING,
        "unit": REF["UnitRef"], "offered_by": {"type": "string", "enum": ["unit", "volunteer"]}, "created_at": TIME,
    }, "A resource (资源). A volunteer's own offer does not name the volunteer."),
    "Project": _object({
        "id": ID, "url": URL, "community": REF["CommunityRef"], "title": STRING, "summary": STRING,
        "lead_unit": REF["UnitRef"], "status": STRING, "percent_done": {"type": "integer", "minimum": 0, "maximum": 100},
        "planned_start": _nullable(DATE), "planned_end": _nullable(DATE),
        "budget": _nullable({"type": "string", "description": "Yuan, as a decimal number."}),
        "needs": _ids("The public needs it meets."), "resources": _ids("The resources it uses."),
        "milestones": {"type": "array", "items": _object({"title": STRING, "due_on": _nullable(DATE),
                                                          "done": BOOLEAN})},
        "updates": {"type": "array", "items": _object({"body": STRING, "percent_done": COUNT, "created_at": TIME})},
        "satisfaction": _object({"average": _nullable({"type": "number"}), "ratings": COUNT}),
        "created_at": TIME,
    }, "A project (项目)."),
    "Proposal": _object({
        "id": ID, "url": URL, "community": REF["CommunityRef"], "title": STRING, "body": STRING,
        "category": {"type": "string", "enum": list(CATEGORIES)}, "status": STRING, "support_count": COUNT,
        "support_threshold": _nullable(COUNT), "collecting_since": _nullable(TIME),
        "collecting_until": _nullable(TIME), "decline_reason": _nullable(STRING),
        "deliberations": _ids("The deliberations that took it up."), "project": _nullable(ID), "created_at": TIME,
    }, "A proposal (议题). Its author and supporters are never given."),
    "Minutes": _object({
        "number": ID, "status": {"type": "string", "enum": ["published", "superseded"]},
        "published_at": _nullable(TIME), "corrects": _nullable(ID), "correction_reason": _nullable(STRING),
        "summary": STRING,
        "agenda": {"type": "array", "items": _object({"title": STRING, "discussion": STRING, "decision": STRING})},
        "dissent": STRING, "action_items": {"type": "array", "items": _object({"task": STRING, "due": STRING})},
        "present": COUNT, "absent": COUNT,
        "polls": {"type": "array", "items": _object({"title": STRING, "sentence": STRING})}, "url": URL,
    }, "A published version of the minutes (会议纪要); attendees are counted, not named."),
    "Deliberation": _object({
        "id": ID, "url": URL, "community": REF["CommunityRef"],
        "kind": {"type": "string", "enum": list(DELIBERATION_KINDS)}, "title": STRING, "description": STRING,
        "status": STRING, "starts_at": TIME, "ends_at": _nullable(TIME), "place": _nullable(STRING),
        "online_url": _nullable(STRING), "agenda": {"type": "array", "items": STRING},
        "proposals": _ids("The public proposals on its agenda."),
        "minutes": {"type": "array", "items": {"$ref": "#/components/schemas/Minutes"}},
    }, "A deliberation (议事) and its published minutes, oldest version first."),
    "Poll": _object({
        "id": ID, "url": URL, "community": REF["CommunityRef"], "title": STRING, "body": STRING,
        "method": {"type": "string", "enum": list(METHODS)},
        "electorate": {"type": "string", "enum": list(ELECTORATES)},
        "pass_rule": {"type": "string", "enum": list(PASS_RULES)}, "quorum_percent": COUNT, "secret": BOOLEAN,
        "opens_at": TIME, "closes_at": TIME, "closed_at": _nullable(TIME), "deliberation": _nullable(ID),
        "proposal": _nullable(ID),
        "result": _object({
            "ballots": COUNT, "paper_ballots": COUNT, "electorate": COUNT, "turnout_percent": PERCENT,
            "quorum_met": BOOLEAN, "passed": _nullable(BOOLEAN), "sentence": STRING,
            "options": {"type": "array", "items": _object({
                "label": STRING, "key": _nullable({"type": "string", "enum": ["yes", "no", "abstain"]}),
                "votes": COUNT, "online": COUNT, "paper": COUNT, "share_percent": PERCENT})},
        }),
    }, "A closed poll (表决) and its result. No ballot or voter is given."),
    "Error": _object({"error": _object({"status": INTEGER, "message": STRING})}),
}


def _page_of(schema: str) -> dict:
    return _object({"items": {"type": "array", "items": {"$ref": f"#/components/schemas/{schema}"}},
                    "page": ID, "per_page": ID, "total": COUNT, "pages": ID})


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERROR = {"$ref": "#/components/schemas/Error"}


def _parameters(filters: dict) -> list[dict]:
    return [{"name": name, "in": "query", "required": False, "description": schema.get("description", ""),
             "schema": {k: v for k, v in schema.items() if k != "description"}}
            for name, schema in {**filters, **PAGING}.items()]


def _paths() -> dict:
    from forum.api.collections import COLLECTIONS, MAX_ID

    paths = {}
    for name, entry in COLLECTIONS.items():
        paths[f"/api/v1/{name}"] = {"get": {
            "operationId": f"list_{name}", "summary": entry.summary, "parameters": _parameters(entry.filters),
            "responses": {"200": _json(_page_of(entry.schema), "One page of the list."),
                          "400": _json(ERROR, "A parameter is not valid."),
                          "404": _json(ERROR, "No such community.")}}}
        paths[f"/api/v1/{name}/{{id}}"] = {"get": {
            "operationId": f"get_{name}", "summary": f"One item of {name}.",
            "parameters": [{"name": "id", "in": "path", "required": True,
                            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}],
            "responses": {"200": _json({"$ref": f"#/components/schemas/{entry.schema}"}, "The item."),
                          "404": _json(ERROR, "No such item, or it is not public.")}}}
    return paths


def document() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {"title": "议事厅 open data", "version": "1",
                 "description": "Read-only public data of the Community Hall: needs, resources, projects, proposals, "
                                "deliberations with their published minutes, and closed polls. No personal data: "
                                "no person is named, no phone or household is given, and nothing held, hidden or "
                                "draft is shown. Lists take the same filters as the site's pages."},
        "paths": {
            "/api/v1/": {"get": {"operationId": "index", "summary": "Where the document and the lists are.",
                                 "responses": {"200": _json(_object({
                                     "openapi": URL, "collections": {"type": "object",
                                                                     "additionalProperties": URL}}), "The links.")}}},
            "/api/v1/openapi.json": {"get": {"operationId": "openapi", "summary": "This document.",
                                             "responses": {"200": {"description": "The OpenAPI document.",
                                                                   "content": {"application/json": {}}}}}},
            **_paths(),
        },
        "components": {"schemas": SCHEMAS},
    }
