"""The kinds of things a thread can be about: the lists' items, proposals and deliberations."""
from dataclasses import dataclass
from typing import Any, Callable

from forum.core.urls import path_for


@dataclass(frozen=True)
class SubjectKind:
    model: Any
    view_action: str  # the permission to see the subject, and so its discussion
    endpoint: str  # its page, which includes the thread
    id_arg: str
    title: Callable[[Any], str] = lambda subject: subject.title
    author_id: Callable[[Any], Any] = lambda subject: getattr(subject, "author_id", None)


SUBJECTS: dict[str, SubjectKind] = {}


def register(kind: str, subject: SubjectKind) -> None:
    SUBJECTS[kind] = subject


def kind_of(subject) -> str:
    return next(kind for kind, entry in SUBJECTS.items() if isinstance(subject, entry.model))


def author_id_of(subject):
    return SUBJECTS[kind_of(subject)].author_id(subject)


def title_of(subject) -> str:
    return SUBJECTS[kind_of(subject)].title(subject)


def url_of(subject, **args) -> str:
    entry = SUBJECTS[kind_of(subject)]
    return path_for(entry.endpoint, **{entry.id_arg: subject.id}, **args)


def _register_lists() -> None:
    from forum.lists.models import Need, Project, Resource

    register("need", SubjectKind(Need, "view_need", "needs.show", "need_id"))
    register("resource", SubjectKind(Resource, "view_resource", "resources.show", "resource_id"))
    register("project", SubjectKind(Project, "view_project", "projects.show", "project_id",
                                    author_id=lambda project: project.created_by_id))


def _register_deliberation() -> None:
    from forum.deliberations.models import Deliberation
    from forum.proposals.models import Proposal

    register("proposal", SubjectKind(Proposal, "view_proposal", "proposals.show", "proposal_id"))
    register("deliberation", SubjectKind(Deliberation, "view_deliberation", "deliberations.show", "deliberation_id"))


_register_lists()
_register_deliberation()
