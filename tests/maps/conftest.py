# An OCOP certificate is made by walking the services, as the OCOP tests do.
from ..ocop.conftest import (  # noqa: F401
    council,
    evaluation_round,
    make_evaluation,
    office,
    sheets,
)
