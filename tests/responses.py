"""What a reader of a response sees, for the "no personal data" checks."""

import json


def text_of(response):
    """The response's text, with JSON decoded: JSON escapes Vietnamese
    letters ("Nguyễn" is sent as "Nguy\\u1ec5n"), so a check for a name on
    the raw bytes would pass whether the name is there or not."""
    if "json" in response.get("Content-Type", ""):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()
