"""The texts of the reminders and follow-up surveys, which a programme may reword per language
(Admin › Notification texts, core.texts.editable)."""

from django.utils.translation import gettext_lazy

from clusterxchange.core.texts import editable

BOOK_MEETINGS = editable(
    "followup.book_meetings",
    gettext_lazy("Book your meetings at %(event)s"),
    gettext_lazy(
        "You have few meeting requests so far. Browse the participants of %(event)s and "
        "ask those you would like to meet: requests can be sent until the event begins."
    ),
)
AGENDA_TOMORROW = editable(
    "followup.agenda_tomorrow",
    gettext_lazy("Your meetings tomorrow at %(event)s"),
    gettext_lazy("Your agenda for %(day)s:"),
    required=("event", "day"),
)
MEETING_SOON = editable(
    "followup.meeting_soon",
    gettext_lazy("In %(minutes)s minutes: your meeting with %(partner)s"),
    gettext_lazy("%(time)s, %(table)s, at %(event)s."),
    required=("partner", "time", "table"),
)
AGREEMENT_UNSIGNED = editable(
    "followup.agreement_unsigned",
    gettext_lazy("Reminder: the exchange agreement is waiting for your signature"),
)
REPORT_DUE = editable(
    "followup.report_due", gettext_lazy("Reminder: the stay has ended, the closing report is due")
)
EVIDENCE_MISSING = editable(
    "followup.evidence_missing",
    gettext_lazy("Reminder: please upload the evidence of the stay (travel tickets, invoices)"),
)
MEETING_SURVEY = editable(
    "followup.meeting_survey",
    gettext_lazy("Did your meetings at %(event)s lead to anything?"),
    gettext_lazy(
        "A few months ago you met other participants at %(event)s. Three short questions "
        "per meeting (no login needed) help the programme show what the meetings achieved:"
    ),
)
EXCHANGE_SURVEY = editable(
    "followup.exchange_survey",
    gettext_lazy("Did your exchange %(reference)s lead to anything?"),
    gettext_lazy(
        "A few months have passed since your exchange. Three short questions (no login needed) "
        "help the programme show what the exchanges achieved:"
    ),
)
