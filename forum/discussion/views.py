"""Pages of a discussion: the thread (also included in its subject's page), posting,
editing, the edit history, deleting, locking and pinning."""
from flask import Blueprint, abort, flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.accounts.forms import EmptyForm
from forum.core.limits import rate_limit
from forum.core.permissions import authorize, can
from forum.core.rendering import render
from forum.discussion import services, subjects
from forum.discussion.forms import CommentForm
from forum.discussion.rendering import comments_html
from forum.extensions import db
from forum.moderation.words.screening import tell_author_if_held

bp = Blueprint("discussion", __name__, url_prefix="/discussion")


@bp.app_context_processor
def helpers():
    return {"discussion_for": _discussion_for, "comments_html": comments_html}


def _discussion_for(subject, form=None, page=None):
    """The thread of `subject` for its page; ?comments=<page>, ?reply=<id> and ?quote=<id> from the URL."""
    discussion = services.discussion(current_user, subject, page or request.args.get(services.PAGE_ARG, type=int),
                                     request.args.get("reply", type=int))
    if form is None:
        form = CommentForm(formdata=None)
        quoted = request.args.get("quote", type=int)
        if quoted:
            comment = db.session.get(services.Comment, quoted)
            if comment is not None and comment.thread_id == discussion.thread.id:
                form.body.data = services.quote_of(comment)
    if discussion.reply_to is not None and not form.parent.data:
        form.parent.data = str(discussion.reply_to.id)
    return {"d": discussion, "form": form, "button": EmptyForm(),
            "may_post": can(current_user, "comment_on_thread", discussion.thread), "url_of": subjects.url_of}


def _subject_or_404(kind, subject_id):
    subject = services.find_subject(kind, subject_id)
    if subject is None:
        abort(404)
    authorize(services.view_action(subject), subject)
    return subject


def _comment_or_404(comment_id):
    comment = services.find_comment(comment_id)
    authorize(services.view_action(comment.thread.subject), comment.thread.subject)
    authorize("view_comment", comment)  # held or hidden: its author and the moderators only
    return comment


def _thread_page(subject, form=None, status=200, fragment=None, page=None):
    return render("discussion/thread.html", fragment=fragment, status=status, subject=subject,
                  discussion=_discussion_for(subject, form, page), title=subjects.title_of(subject))


@bp.get("/<kind>/<int:subject_id>")
def thread(kind, subject_id):
    return _thread_page(_subject_or_404(kind, subject_id))


@bp.post("/<kind>/<int:subject_id>/comments")
@login_required
@rate_limit("post_comment")
def post_comment(kind, subject_id):
    subject = _subject_or_404(kind, subject_id)
    authorize("comment_on_thread", services.thread_of(subject))
    form = CommentForm()
    htmx = bool(request.headers.get("HX-Request"))
    if form.validate_on_submit():
        try:
            comment = services.post_comment(current_user, subject, form.body.data, form.parent_id())
        except services.CommentError as error:
            db.session.rollback()
            form.body.errors = [error.message]
        else:
            if htmx:  # a held comment shows its own banner in the fragment
                return _thread_page(subject, CommentForm(formdata=None), fragment="thread",
                                    page=services.page_of(comment))
            tell_author_if_held(comment)
            return redirect(services.comment_url(comment), 303)
    # htmx swaps only successful answers, so its copy of the form with the errors comes as 200.
    return _thread_page(subject, form, status=200 if htmx else 400, fragment="thread" if htmx else None)


@bp.post("/<kind>/<int:subject_id>/lock")
@login_required
def lock(kind, subject_id):
    subject = _subject_or_404(kind, subject_id)
    thread = services.thread_of(subject)
    authorize("moderate_thread", thread)
    if EmptyForm().validate_on_submit():
        services.set_locked(current_user, thread, request.form.get("locked") == "1")
        flash(_("The discussion is locked.") if thread.is_locked else _("The discussion is open again."), "success")
    return redirect(subjects.url_of(subject) + "#comments", 303)


@bp.get("/comments/<int:comment_id>/history")
def history(comment_id):
    comment = _comment_or_404(comment_id)
    return render("discussion/history.html", comment=comment, subject=comment.thread.subject,
                  back=services.comment_url(comment))


@bp.get("/comments/<int:comment_id>/edit")
@login_required
def edit(comment_id):
    comment = _comment_or_404(comment_id)
    authorize("edit_comment", comment)
    form = CommentForm(formdata=None, body=comment.body)
    return render("discussion/edit.html", comment=comment, form=form, back=services.comment_url(comment))


@bp.post("/comments/<int:comment_id>/edit")
@login_required
def update(comment_id):
    comment = _comment_or_404(comment_id)
    authorize("edit_comment", comment)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            services.edit_comment(current_user, comment, form.body.data)
            tell_author_if_held(comment)
            return redirect(services.comment_url(comment), 303)
        except services.CommentError as error:
            db.session.rollback()
            form.body.errors = [error.message]
    return render("discussion/edit.html", status=400, comment=comment, form=form,
                  back=services.comment_url(comment))


@bp.post("/comments/<int:comment_id>/delete")
@login_required
def delete(comment_id):
    comment = _comment_or_404(comment_id)
    authorize("delete_comment", comment)
    if EmptyForm().validate_on_submit():
        services.delete_comment(current_user, comment)
        flash(_("Your comment has been deleted."), "success")
    return redirect(services.comment_url(comment), 303)


@bp.post("/comments/<int:comment_id>/pin")
@login_required
def pin(comment_id):
    comment = _comment_or_404(comment_id)
    authorize("pin_comment", comment)
    if EmptyForm().validate_on_submit():
        services.set_pinned(current_user, comment, request.form.get("pinned") == "1")
    return redirect(services.comment_url(comment), 303)
