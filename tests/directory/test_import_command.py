"""`clusterxchange import_directory`: the import page's checks from the command line, all rows or none."""

import io

import pytest
from django.core.management import CommandError, call_command

from clusterxchange.directory.models import Organisation

HEADER = "name,type,country,city\n"


def run(tmp_path, text: str, *options):
    path = tmp_path / "organisations.csv"
    path.write_text(text)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_directory", str(path), *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_valid_rows_are_imported(world, tmp_path):
    out, _err = run(tmp_path, HEADER + "Zeta GmbH,sme,DE,Dresden\n", "--as", world.users["coordinator"].email)
    assert out.strip() == "Imported 1 organisations."
    assert Organisation.objects.filter(name="Zeta GmbH").exists()


def test_the_error_count_is_all_errors_not_the_listed_ones(world, tmp_path):
    rows = "".join(f"Bad {i},sme,XX,Nowhere\n" for i in range(120))
    with pytest.raises(CommandError, match=r"Nothing imported: 120 errors \(the first 100 listed\)\."):
        run(tmp_path, HEADER + rows, "--as", world.users["coordinator"].email)
    assert not Organisation.objects.filter(name__startswith="Bad ").exists()
