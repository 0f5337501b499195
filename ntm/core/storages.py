"""File storages of our own."""

import os
import tempfile
from pathlib import Path

from django.core.files.storage import FileSystemStorage


class ExportStorage(FileSystemStorage):
    """Files on disk written whole or not at all: into a temporary file beside
    the target, renamed over it once complete (a killed worker leaves no
    half file under the job's name; ``expire_exports`` removes leftovers)."""

    def _save(self, name, content):
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o600)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return name
