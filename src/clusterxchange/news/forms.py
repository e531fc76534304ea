"""Forms of the news pages: they parse input; the domain actions validate and save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.concurrency import VersionedFormMixin, version_of
from clusterxchange.news.domain import CONSENT_TEXT
from clusterxchange.news.models import NewsArticle


class ArticleForm(VersionedFormMixin, forms.Form):
    programme = forms.ModelChoiceField(queryset=None, label=_("Programme"), empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences shown in lists and in the feed."),
    )
    body_markdown = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown: **bold**, *italic*, [link](https://…), lists with “- ”, headings with “#”."),
    )
    image = forms.FileField(
        label=_("Image"), required=False, help_text=_("JPEG or PNG, at most 5 MB."), widget=forms.FileInput
    )
    image_alt = forms.CharField(label=_("Image description"), max_length=250, required=False)
    remove_image = forms.BooleanField(label=_("Remove the image"), required=False)

    def __init__(self, *args, programmes, article: NewsArticle | None = None, **kwargs):
        if article is not None:
            kwargs.setdefault(
                "initial",
                {
                    "programme": article.programme_id,
                    "title": article.title,
                    "summary": article.summary,
                    "body_markdown": article.body_markdown,
                    "image_alt": article.image_alt,
                    "version": version_of(article),
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        if article is not None or programmes.count() == 1:
            self.fields["programme"].widget = forms.HiddenInput()
            if article is None:
                self.fields["programme"].initial = programmes.first()
        if article is None or not article.image:
            del self.fields["remove_image"]
        if article is not None:
            self.fields["programme"].required = False

    def domain_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("title", "summary", "body_markdown", "image_alt")}


class PublishForm(forms.Form):
    published_at = forms.DateTimeField(
        label=_("Publication date"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Empty: now. A later date keeps the article hidden until then."),
    )


class SubmitTestimonialForm(forms.Form):
    programme = forms.ModelChoiceField(queryset=None, label=_("Programme"), empty_label=None)
    text = forms.CharField(
        label=_("Your testimonial"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What did the exchange, mission or programme bring you?"),
    )
    author_name = forms.CharField(label=_("Name shown"), max_length=120)
    author_position = forms.CharField(label=_("Position shown"), max_length=120, required=False)
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"), required=False)
    exchange = forms.ModelChoiceField(queryset=None, label=_("About the exchange"), required=False)
    event = forms.ModelChoiceField(queryset=None, label=_("About the mission or study visit"), required=False)
    consent = forms.BooleanField(label=CONSENT_TEXT, required=False)

    def __init__(self, *args, programmes, organisations, exchanges, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        if programmes.count() == 1:
            self.fields["programme"].widget = forms.HiddenInput()
            self.fields["programme"].initial = programmes.first()
        self.fields["organisation"].queryset = organisations
        self.fields["exchange"].queryset = exchanges
        self.fields["event"].queryset = events
        self.fields["consent"].help_text = _(
            "Without this consent the coordinators read your testimonial but never publish it."
        )

    def domain_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "text",
                "author_name",
                "author_position",
                "organisation",
                "exchange",
                "event",
                "consent",
            )
        }


class ModerationForm(forms.Form):
    ACTIONS = [
        ("approve", _("Approve")),
        ("feature", _("Approve and feature")),
        ("unfeature", _("Stop featuring")),
        ("reject", _("Reject")),
    ]
    action = forms.ChoiceField(choices=ACTIONS, label=_("Decision"))
    reason = forms.CharField(
        label=_("Reason (for a rejection)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
