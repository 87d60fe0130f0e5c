"""Backup → wipe → restore: every table's rows and every media file come back."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from yuanqu.core.backup import BackupError, backup_create, backup_restore, media_files, table_counts
from yuanqu.news.models import Article
from yuanqu.news.tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def test_a_restore_brings_back_every_row_and_file(media, tmp_path, park_a):
    make_article(title="备份前的文章")
    default_storage.save("carriers/photo.jpg", ContentFile(b"\xff\xd8 jpeg bytes"))
    before_rows, before_files = table_counts(), media_files(media)
    archive = backup_create(tmp_path / "backups")

    Article.objects.all().delete()
    park_a.delete()
    default_storage.delete("carriers/photo.jpg")
    assert table_counts() != before_rows

    backup_restore(archive)
    assert table_counts() == before_rows and media_files(media) == before_files
    assert Article.objects.filter(title="备份前的文章").exists()


def test_a_file_that_is_not_a_backup_is_refused(media, tmp_path):
    import tarfile

    bogus = tmp_path / "bogus.tar.gz"
    with tarfile.open(bogus, "w:gz"):
        pass
    with pytest.raises(BackupError, match="manifest"):
        backup_restore(bogus)


def test_the_restore_command_asks_for_confirmation(media, tmp_path):
    archive = backup_create(tmp_path)
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))
