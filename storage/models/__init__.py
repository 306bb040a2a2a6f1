"""The database schema as typed SQLAlchemy 2 models, one module per part of the programme.

Every model is imported here, so `Base.metadata` (and with it Alembic) knows all tables.
"""

from storage.models.announcements import Announcement
from storage.models.audit import AuditEntry
from storage.models.base import Base
from storage.models.catalog import (
    Event,
    Greenway,
    Hub,
    HubClosure,
    HubService,
    Project,
    Quartiere,
    Service,
    Shift,
)
from storage.models.events import EventRsvp, GreenwaySubscription
from storage.models.hours import HourCertificate, HourReport, HourReportStatus
from storage.models.outbox import Delivery, DeliveryStatus
from storage.models.people import (
    ConversationState,
    ProjectTutor,
    Staff,
    StaffRemoval,
    StaffRole,
    User,
)
from storage.models.volunteering import (
    ProjectMember,
    RegisterEntry,
    Signup,
    SignupStatus,
    Volunteer,
)

__all__ = [
    "Announcement",
    "AuditEntry",
    "Base",
    "ConversationState",
    "Delivery",
    "DeliveryStatus",
    "Event",
    "EventRsvp",
    "Greenway",
    "GreenwaySubscription",
    "HourCertificate",
    "HourReport",
    "HourReportStatus",
    "Hub",
    "HubClosure",
    "HubService",
    "Project",
    "ProjectMember",
    "ProjectTutor",
    "Quartiere",
    "RegisterEntry",
    "Service",
    "Shift",
    "Signup",
    "SignupStatus",
    "Staff",
    "StaffRemoval",
    "StaffRole",
    "User",
    "Volunteer",
]
