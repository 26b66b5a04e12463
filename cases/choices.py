"""Coded facts of a referral (DOMAIN.md, "Field rules"): nothing here can identify a person."""

from django.db import models


class TraffickingType(models.TextChoices):
    SEX = "sex", "Sex trafficking"
    LABOR = "labor", "Labor trafficking"
    BOTH = "both", "Sex and labor trafficking"
    UNKNOWN = "unknown", "Unknown or not disclosed"


class VictimStatus(models.TextChoices):
    POTENTIAL = "potential", "Potential victim"
    CONFIRMED = "confirmed", "Confirmed victim"


class AgeBand(models.TextChoices):
    UNDER_12 = "under_12", "Under 12"
    AGE_12_17 = "12_17", "12-17"
    AGE_18_24 = "18_24", "18-24"
    AGE_25_59 = "25_59", "25-59"
    AGE_60_PLUS = "60_plus", "60 or older"
    UNKNOWN = "unknown", "Unknown"

    @classmethod
    def minors(cls) -> list[str]:
        return [cls.UNDER_12, cls.AGE_12_17]


class Gender(models.TextChoices):
    """As the person describes it; no one is asked to disclose."""

    WOMAN = "woman", "Woman"
    MAN = "man", "Man"
    NON_BINARY = "non_binary", "Non-binary"
    TRANSGENDER_WOMAN = "transgender_woman", "Transgender woman"
    TRANSGENDER_MAN = "transgender_man", "Transgender man"
    TWO_SPIRIT = "two_spirit", "Two-spirit"
    ANOTHER = "another", "Another identity"
    PREFERS_NOT_TO_SAY = "prefers_not_to_say", "Prefers not to say"
    UNKNOWN = "unknown", "Unknown"


class Citizenship(models.TextChoices):
    CITIZEN_OR_LPR = "citizen_or_lpr", "U.S. citizen or lawful permanent resident"
    FOREIGN_NATIONAL = "foreign_national", "Foreign national"
    UNKNOWN = "unknown", "Unknown"


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    SPANISH = "es", "Spanish"
    KICHE = "quc", "K'iche'"
    MAM = "mam", "Mam"
    HAITIAN_CREOLE = "ht", "Haitian Creole"
    FRENCH = "fr", "French"
    PORTUGUESE = "pt", "Portuguese"
    ARABIC = "ar", "Arabic"
    CHINESE = "zh", "Chinese (Mandarin or Cantonese)"
    VIETNAMESE = "vi", "Vietnamese"
    TAGALOG = "tl", "Tagalog"
    HMONG = "hmn", "Hmong"
    KOREAN = "ko", "Korean"
    RUSSIAN = "ru", "Russian"
    UKRAINIAN = "uk", "Ukrainian"
    SOMALI = "so", "Somali"
    SWAHILI = "sw", "Swahili"
    ASL = "ase", "American Sign Language"
    OTHER = "other", "Another language"
    UNKNOWN = "unknown", "Unknown"


class Need(models.TextChoices):
    SHELTER = "shelter", "Shelter or housing"
    LEGAL = "legal", "Legal"
    IMMIGRATION = "immigration", "Immigration"
    MEDICAL = "medical", "Medical"
    MENTAL_HEALTH = "mental_health", "Mental health"
    SUBSTANCE_USE = "substance_use", "Substance use"
    CASE_MANAGEMENT = "case_management", "Case management"
    EMPLOYMENT = "employment", "Employment"
    EDUCATION = "education", "Education"
    TRANSPORTATION = "transportation", "Transportation"
    INTERPRETER = "interpreter", "Interpreter"
    CHILDCARE = "childcare", "Childcare"
    SAFETY_PLANNING = "safety_planning", "Safety planning"
    OTHER = "other", "Other"


class SourceType(models.TextChoices):
    LAW_ENFORCEMENT = "law_enforcement", "Law enforcement"
    HOTLINE = "hotline", "Hotline"
    SELF = "self", "Self-referral"
    HEALTH = "health", "Health care"
    SCHOOL = "school", "School"
    CHILD_WELFARE = "child_welfare", "Child welfare"
    VICTIM_SERVICES = "victim_services", "Victim service provider"
    COMMUNITY = "community", "Community or faith group"
    OTHER = "other", "Other"


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine (within a week)"
    URGENT = "urgent", "Urgent (within 24 hours)"
    EMERGENCY = "emergency", "Emergency (today)"


class Status(models.TextChoices):
    SENT = "sent", "Sent"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    IN_PROGRESS = "in_progress", "In progress"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class DeclineReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", "No capacity"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"
    UNABLE_TO_CONTACT = "unable_to_contact", "Unable to contact"
    OTHER = "other", "Other"


class Outcome(models.TextChoices):
    SERVICES_PROVIDED = "services_provided", "Services provided"
    CLIENT_DECLINED = "client_declined", "Client declined services"
    UNABLE_TO_CONTACT = "unable_to_contact", "Unable to contact client"
    REFERRED_ELSEWHERE = "referred_elsewhere", "Referred elsewhere"
    OTHER = "other", "Other"


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", "Signed written release"
    ELECTRONIC = "electronic", "Electronic signature"


class ConsentScope(models.TextChoices):
    FACTS = "facts", "The coded facts and needs in this referral"
    FACTS_AND_HANDOFF = "facts_and_handoff", "The coded facts, needs and a warm hand-off call"
