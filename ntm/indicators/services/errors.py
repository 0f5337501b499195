"""The engine's domain errors, raised by every write of the app."""


class WorkflowError(Exception):
    """The request is valid input, but the value's current state does not allow it."""


class CriteriaFileError(Exception):
    """A criteria file that cannot be loaded; the message says where and why."""
