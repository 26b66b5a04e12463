"""Coded facts of a referral (DOMAIN.md, "Field rules"): nothing here can identify a person."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TraffickingType(models.TextChoices):
    SEX = "sex", _("Sex trafficking")
    LABOR = "labor", _("Labor trafficking")
    BOTH = "both", _("Sex and labor trafficking")
    UNKNOWN = "unknown", _("Unknown or not disclosed")


class VictimStatus(models.TextChoices):
    POTENTIAL = "potential", _("Potential victim")
    CONFIRMED = "confirmed", _("Confirmed victim")


class AgeBand(models.TextChoices):
    UNDER_12 = "under_12", _("Under 12")
    AGE_12_17 = "12_17", _("12-17")
    AGE_18_24 = "18_24", _("18-24")
    AGE_25_59 = "25_59", _("25-59")
    AGE_60_PLUS = "60_plus", _("60 or older")
    UNKNOWN = "unknown", _("Unknown")

    @classmethod
    def minors(cls) -> list[str]:
        return [cls.UNDER_12, cls.AGE_12_17]


class Gender(models.TextChoices):
    """As the person describes it; no one is asked to disclose."""

    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")
    TRANSGENDER_WOMAN = "transgender_woman", _("Transgender woman")
    TRANSGENDER_MAN = "transgender_man", _("Transgender man")
    TWO_SPIRIT = "two_spirit", _("Two-spirit")
    ANOTHER = "another", _("Another identity")
    PREFERS_NOT_TO_SAY = "prefers_not_to_say", _("Prefers not to say")
    UNKNOWN = "unknown", _("Unknown")


class Citizenship(models.TextChoices):
    CITIZEN_OR_LPR = "citizen_or_lpr", _("U.S. citizen or lawful permanent resident")
    FOREIGN_NATIONAL = "foreign_national", _("Foreign national")
    UNKNOWN = "unknown", _("Unknown")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    KICHE = "quc", _("K'iche'")
    MAM = "mam", _("Mam")
    HAITIAN_CREOLE = "ht", _("Haitian Creole")
    FRENCH = "fr", _("French")
    PORTUGUESE = "pt", _("Portuguese")
    ARABIC = "ar", _("Arabic")
    CHINESE = "zh", _("Chinese (Mandarin or Cantonese)")
    VIETNAMESE = "vi", _("Vietnamese")
    TAGALOG = "tl", _("Tagalog")
    HMONG = "hmn", _("Hmong")
    KOREAN = "ko", _("Korean")
    RUSSIAN = "ru", _("Russian")
    UKRAINIAN = "uk", _("Ukrainian")
    SOMALI = "so", _("Somali")
    SWAHILI = "sw", _("Swahili")
    ASL = "ase", _("American Sign Language")
    OTHER = "other", _("Another language")
    UNKNOWN = "unknown", _("Unknown")


class Need(models.TextChoices):
    SHELTER = "shelter", _("Shelter or housing")
    LEGAL = "legal", _("Legal")
    IMMIGRATION = "immigration", _("Immigration")
    MEDICAL = "medical", _("Medical")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SUBSTANCE_USE = "substance_use", _("Substance use")
    CASE_MANAGEMENT = "case_management", _("Case management")
    EMPLOYMENT = "employment", _("Employment")
    EDUCATION = "education", _("Education")
    TRANSPORTATION = "transportation", _("Transportation")
    INTERPRETER = "interpreter", _("Interpreter")
    CHILDCARE = "childcare", _("Childcare")
    SAFETY_PLANNING = "safety_planning", _("Safety planning")
    OTHER = "other", _("Other")


class SourceType(models.TextChoices):
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
    HOTLINE = "hotline", _("Hotline")
    SELF = "self", _("Self-referral")
    HEALTH = "health", _("Health care")
    SCHOOL = "school", _("School")
    CHILD_WELFARE = "child_welfare", _("Child welfare")
    VICTIM_SERVICES = "victim_services", _("Victim service provider")
    COMMUNITY = "community", _("Community or faith group")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine (within a week)")
    URGENT = "urgent", _("Urgent (within 24 hours)")
    EMERGENCY = "emergency", _("Emergency (today)")


class Status(models.TextChoices):
    SENT = "sent", pgettext_lazy("referral status", "Sent")
    ACCEPTED = "accepted", pgettext_lazy("referral status", "Accepted")
    DECLINED = "declined", pgettext_lazy("referral status", "Declined")
    IN_PROGRESS = "in_progress", pgettext_lazy("referral status", "In progress")
    CLOSED = "closed", pgettext_lazy("referral status", "Closed")
    WITHDRAWN = "withdrawn", pgettext_lazy("referral status", "Withdrawn")


class DeclineReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", _("No capacity")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    UNABLE_TO_CONTACT = "unable_to_contact", _("Unable to contact")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    SERVICES_PROVIDED = "services_provided", _("Services provided")
    CLIENT_DECLINED = "client_declined", _("Client declined services")
    UNABLE_TO_CONTACT = "unable_to_contact", _("Unable to contact client")
    REFERRED_ELSEWHERE = "referred_elsewhere", _("Referred elsewhere")
    OTHER = "other", _("Other")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Signed written release")
    ELECTRONIC = "electronic", _("Electronic signature")


class ConsentScope(models.TextChoices):
    FACTS = "facts", _("The coded facts and needs in this referral")
    FACTS_AND_HANDOFF = "facts_and_handoff", _("The coded facts, needs and a warm hand-off call")
