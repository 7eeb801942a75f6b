"""The host console (访谈主持) in the Wagtail admin.

``/admin/interviews/`` lists the interviews the user may host: they need the
"主持在线访谈" permission and edit rights on the interview's site tree. Each interview has
one console page: start and end the live session, moderate and assign questions, post
text and images, correct, withdraw or pin entries, manage guest links and, after the
end, add written replies. Every action is a POST that redirects back with a message."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.images import get_image_model
from wagtail.models import Collection

from portal.forms import require_valid
from portal.permissions import in_editable_trees

from . import queries, services
from .forms import CorrectionForm, GuestChoiceForm, HostEntryForm, InviteForm, WrittenReplyForm
from .models import Entry, GuestInvitation, InterviewPage, Question, Status

HOST_PERMISSION = "interviews.host_interview"


def interviews_for_user(user):
    if not (user.is_active and user.has_perm(HOST_PERMISSION)):
        return InterviewPage.objects.none()
    return in_editable_trees(user, InterviewPage.objects.all(), "path")


def guest_link(request, invitation: GuestInvitation) -> str:
    """The guest's link at the interview's site as configured (not at whatever host the
    host's browser reached the admin by)."""
    site = invitation.interview.get_site()
    root = site.root_url if site is not None else request.build_absolute_uri("/").rstrip("/")
    return root + reverse("interviews:guest_token", args=(invitation.interview_id, services.token_for(invitation)))


class InterviewListView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "interviews/admin/interview_list.html"
    page_title = _("访谈主持")
    header_icon = "comment"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(HOST_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        interviews = list(interviews_for_user(self.request.user).select_related("state").order_by("-scheduled_start"))
        pending = dict(
            Question.objects.filter(interview__in=interviews, moderation=Question.Moderation.PENDING)
            .values_list("interview")
            .annotate(n=Count("pk"))
        )
        context["rows"] = [(interview, pending.get(interview.pk, 0)) for interview in interviews]
        return context


class HostConsoleView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "interviews/admin/host_console.html"
    header_icon = "comment"

    def dispatch(self, request, *args, **kwargs):
        self.interview = get_object_or_404(
            interviews_for_user(request.user).select_related("state", "cover"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.interview.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("interview_host:index"), "label": _("访谈主持")},
            {"url": "", "label": self.interview.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        interview = self.interview
        state = interview.live_state
        invitations = interview.invitations.select_related("guest")
        now = timezone.now()
        status = interview.status(now)
        context.update(
            {
                "interview": interview,
                "state": state,
                "status": status,
                "pending": queries.pending_questions(interview),
                "unanswered": queries.unanswered_questions(interview),
                "entries": interview.entries.select_related("parent", "image"),
                "guests": list(queries.guests_of(interview)),
                "entry_form": HostEntryForm(),
                "invite_form": InviteForm(interview=interview, required=True),
                "invitations": [
                    (invitation, invitation.is_valid(now) and guest_link(self.request, invitation))
                    for invitation in invitations
                ],
                "written_due": interview.written_reply_due if status == Status.ENDED else None,
                "public_url": interview.full_url,
            }
        )
        return context


class HostActionView(HostConsoleView):
    http_method_names = ["post"]

    def post(self, request, pk, action):
        interview = self.interview
        user = request.user
        handler = getattr(self, f"do_{action}", None)
        if handler is None:
            raise Http404
        try:
            done = handler(interview, user, request.POST)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, done)
        return HttpResponseRedirect(reverse("interview_host:console", args=(interview.pk,)))

    # ---- actions: each returns the success message or raises ValidationError -----------
    def _question(self, data) -> Question:
        question_id = str(data.get("question", ""))
        if not question_id.isdigit():
            raise Http404
        return get_object_or_404(self.interview.questions.select_related("entry"), pk=int(question_id))

    def _entry(self, data) -> Entry:
        entry_id = str(data.get("entry", ""))
        if not entry_id.isdigit():
            raise Http404
        return get_object_or_404(self.interview.entries, pk=int(entry_id))

    def _guest(self, data, required=False):
        form = GuestChoiceForm(data, interview=self.interview, required=required)
        require_valid(form)
        return form.cleaned_data["guest"]

    def do_start(self, interview, user, data):
        services.start(interview, user)
        return _("直播已开始，网友页面将自动显示新内容。")

    def do_end(self, interview, user, data):
        services.end(interview, user)
        return _("访谈已结束。请在 5 个工作日内为未回答的问题添加书面答复。")

    def do_approve(self, interview, user, data):
        services.moderate(self._question(data), user, approve=True, guest=self._guest(data))
        return _("已通过，问题已显示在访谈页面。")

    def do_reject(self, interview, user, data):
        services.moderate(self._question(data), user, approve=False)
        return _("已设为不通过，该问题不会公开。")

    def do_assign(self, interview, user, data):
        services.assign(self._question(data), self._guest(data))
        return _("已指定回答嘉宾。")

    def do_post(self, interview, user, data):
        form = HostEntryForm(data, self.request.FILES)
        require_valid(form)
        image = None
        upload = form.cleaned_data.get("image")
        if upload:
            image = _save_image(interview, upload, form.cleaned_data["image_alt"], user)
        services.post_host_entry(interview, user, form.cleaned_data["text"], image, form.cleaned_data["image_alt"])
        return _("已发布。")

    def do_correct(self, interview, user, data):
        form = CorrectionForm(data)
        require_valid(form)
        services.correct(self._entry(data), user, form.cleaned_data["text"])
        return _("已更正，公众页面将标注“已修改”。")

    def do_hide(self, interview, user, data):
        services.set_hidden(self._entry(data), user, True)
        return _("已撤下。")

    def do_show(self, interview, user, data):
        services.set_hidden(self._entry(data), user, False)
        return _("已恢复显示。")

    def do_pin(self, interview, user, data):
        services.pin(interview, self._entry(data))
        return _("已置顶。")

    def do_unpin(self, interview, user, data):
        services.pin(interview, None)
        return _("已取消置顶。")

    def do_invite(self, interview, user, data):
        form = InviteForm(data, interview=interview, required=True)
        require_valid(form)
        expires = timezone.now() + timezone.timedelta(hours=form.cleaned_data["hours"])
        invitation, _token = services.invite(interview, form.cleaned_data["guest"], user, expires)
        return _("已为%(name)s生成嘉宾链接，请在下方“嘉宾链接”中复制发送。") % {"name": invitation.guest.name}

    def do_revoke(self, interview, user, data):
        invitation_id = str(data.get("invitation", ""))
        if not invitation_id.isdigit():
            raise Http404
        services.revoke(get_object_or_404(interview.invitations, pk=int(invitation_id)))
        return _("链接已撤销，嘉宾将无法再用它进入。")

    def do_written(self, interview, user, data):
        form = WrittenReplyForm(data, interview=interview, required=True)
        require_valid(form)
        question = self._question(data)
        if question.moderation == Question.Moderation.PENDING:
            services.moderate(question, user, approve=True)
            question.refresh_from_db()
        services.written_reply(question, user, form.cleaned_data["guest"], form.cleaned_data["text"])
        return _("书面答复已添加到访谈实录。")


def _save_image(interview, upload, alt: str, user):
    """A host's live photo becomes an ordinary image in the library (with its alt text)."""
    collection = interview.cover.collection if interview.cover_id else Collection.get_first_root_node()
    image = get_image_model()(
        title=f"{interview.title} {timezone.localtime():%H:%M}"[:255],
        description=alt,
        file=upload,
        collection=collection,
        uploaded_by_user=user,
    )
    image._set_image_file_metadata()
    image.save()
    return image
