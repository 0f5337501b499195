from django.conf import settings
from django.core.checks import Error, register


@register("security", deploy=False)
def refuse_development_secret_key(app_configs, **kwargs):
    if not settings.DEBUG and settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        return [
            Error(
                "SECRET_KEY is the development key while DEBUG is false.",
                hint="Set SECRET_KEY in the environment (or DEBUG=true to develop).",
                id="ntm.E001",
            )
        ]
    return []
