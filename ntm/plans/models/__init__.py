"""The plans app's models, by sub-topic; imported from here everywhere."""

from .budget import BudgetLine
from .plan import Plan, Target
from .records import EssentialService, PilotCommune, WorkDossierTally
from .tasks import KeyTask, TaskUpdate

__all__ = [
    "BudgetLine",
    "EssentialService",
    "KeyTask",
    "PilotCommune",
    "Plan",
    "Target",
    "TaskUpdate",
    "WorkDossierTally",
]
