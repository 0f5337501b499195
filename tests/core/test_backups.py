import io
import tarfile

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from ntm.core.audit import log_action
from ntm.core.models import ActionLog
from tests.factories import UserFactory

# pg_dump and pg_restore are other processes: the records must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "evidence").mkdir(parents=True)
    (settings.MEDIA_ROOT / "evidence" / "bien-ban.pdf").write_bytes(b"%PDF-1.7 x")
    return settings.MEDIA_ROOT


def _backup(tmp_path):
    call_command("backup", output=str(tmp_path / "backups"), stdout=_Quiet())
    return next((tmp_path / "backups").glob("ntm-backup-*.tar"))


def _wipe(media_root):
    call_command("flush", interactive=False, verbosity=0)
    for path in sorted(media_root.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()


def test_backup_and_restore_bring_the_records_and_files_back(tmp_path, media):
    user = UserFactory(username="canbo")
    log_action(user, "accounts.user.created", by=user)
    backup = _backup(tmp_path)
    _wipe(media)
    assert not ActionLog.objects.exists()

    call_command("restore", str(backup), stdout=_Quiet())

    assert list(ActionLog.objects.values_list("action", "actor__username")) == [
        ("accounts.user.created", "canbo")
    ]
    assert (media / "evidence" / "bien-ban.pdf").read_bytes() == b"%PDF-1.7 x"


def test_restore_refuses_a_database_with_records_unless_forced(tmp_path, media):
    UserFactory(username="truoc")
    backup = _backup(tmp_path)
    UserFactory(username="sau")

    with pytest.raises(CommandError, match="đang có dữ liệu"):
        call_command("restore", str(backup), stdout=_Quiet())
    call_command("restore", str(backup), force=True, stdout=_Quiet())

    assert list(get_user_model().objects.values_list("username", flat=True)) == [
        "truoc"
    ]


def test_restore_refuses_a_backup_that_does_not_match_its_checksums(tmp_path, media):
    UserFactory()
    backup = _backup(tmp_path)
    tampered = tmp_path / "tampered.tar"
    with tarfile.open(backup) as source, tarfile.open(tampered, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "media.tar":
                data = data[:-1] + b"x"
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    _wipe(media)

    with pytest.raises(CommandError, match="media.tar không khớp mã kiểm tra"):
        call_command("restore", str(tampered), stdout=_Quiet())
    assert not ActionLog.objects.exists() and not list(media.iterdir())


class _Quiet:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass
