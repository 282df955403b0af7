"""`workshop demo` and `workshop serve` print the address phones will use,
in French (typographic) or in English, by the environment's language."""

import ipaddress
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_wording import ENGLISH_SPACING, _french_problems

from workshop import cli, web

ROOT = Path(__file__).resolve().parent.parent
FRENCH = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8"}  # French by default
ENGLISH = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": "en_GB.UTF-8"}
FRENCH_LOOKING = re.compile(r"[éèàùâêîôûçœ«»\u00a0]|\b(le|la|les|des|du|et|ou|pas|sur)\b", re.I)


def _demo(tmp_path, monkeypatch, lan, *args, env=None):
    monkeypatch.setattr(web, "lan_address", lambda: lan)
    monkeypatch.delenv("WORKSHOP_PUBLIC_URL", raising=False)
    result = CliRunner().invoke(
        cli.cli,
        ["demo", "--no-serve", "--instance", str(tmp_path / "inst"), *args],
        env={**FRENCH, **(env or {})},
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_prints_the_lan_address_for_phones(tmp_path, monkeypatch):
    out = _demo(tmp_path, monkeypatch, "192.168.1.20", "--port", "5123")
    join = next(line for line in out.splitlines() if line.startswith("Rejoindre"))
    assert "http://192.168.1.20:5123/j/" in join
    assert "localhost" not in join
    assert "Console (sur cet ordinateur" in out


def test_demo_without_network_says_what_to_do(tmp_path, monkeypatch):
    out = _demo(tmp_path, monkeypatch, None)
    assert "Rejoindre" not in out
    assert "Aucune adresse réseau trouvée" in out
    assert "WORKSHOP_PUBLIC_URL" in out


def test_demo_on_loopback_only_says_phones_cannot_join(tmp_path, monkeypatch):
    out = _demo(tmp_path, monkeypatch, "192.168.1.20", "--host", "127.0.0.1")
    assert "--host 0.0.0.0" in out
    assert "192.168.1.20" not in out


def test_public_url_wins(tmp_path, monkeypatch):
    out = _demo(
        tmp_path, monkeypatch, None, env={"WORKSHOP_PUBLIC_URL": "https://atelier.example.org/"}
    )
    assert "Rejoindre (téléphones du même réseau)\u00a0: https://atelier.example.org/j/" in out


def test_lan_address_is_never_loopback():
    addr = web.lan_address()
    if addr is not None:
        ip = ipaddress.ip_address(addr)
        assert not ip.is_loopback and not ip.is_link_local


def test_serve_banner_names_the_phone_address(tmp_path, monkeypatch):
    monkeypatch.setattr(web, "lan_address", lambda: "10.0.0.7")
    monkeypatch.setattr(cli, "_serve_under_chosen_mode", lambda: None)
    monkeypatch.setattr(cli, "_run", lambda app, host, port: None)
    result = CliRunner().invoke(
        cli.cli, ["serve", "--instance", str(tmp_path / "inst"), "--port", "5001"], env=FRENCH
    )
    assert result.exit_code == 0, result.output
    assert "Téléphones du même réseau\u00a0: http://10.0.0.7:5001/" in result.output
    assert "Sur cet ordinateur\u00a0: http://localhost:5001/" in result.output
    for line in result.output.splitlines():
        assert not _french_problems(line), line
    result = CliRunner().invoke(
        cli.cli, ["serve", "--instance", str(tmp_path / "inst"), "--port", "5001"], env=ENGLISH
    )
    assert "Phones on the same network: http://10.0.0.7:5001/" in result.output
    assert "On this computer: http://localhost:5001/" in result.output
    assert not FRENCH_LOOKING.search(result.output), result.output


def test_demo_output_is_typographic_french_by_default(tmp_path, monkeypatch):
    for lan in ("192.168.1.20", None):
        out = _demo(tmp_path, monkeypatch, lan)
        assert "Code de l’atelier\u00a0: " in out
        for line in out.splitlines():
            assert not _french_problems(line), line


@pytest.mark.parametrize("lan", ["192.168.1.20", None])
def test_demo_output_in_english(tmp_path, monkeypatch, lan):
    out = _demo(tmp_path, monkeypatch, lan, env=ENGLISH)
    assert "Workshop code: " in out and "Console (on this computer, keep this link secret): " in out
    if lan:
        assert "Join (phones on the same network): http://192.168.1.20:5000/j/" in out
    else:
        assert "No network address found: phones cannot join yet." in out
    assert not FRENCH_LOOKING.search(out) and not ENGLISH_SPACING.search(out), out


def _help(args, env):
    """``--help`` in a new interpreter: help texts are chosen when it starts."""
    environ = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    environ.update({k: v for k, v in env.items() if v is not None}, PYTHONPATH=str(ROOT))
    res = subprocess.run(
        [sys.executable, "-m", "workshop", *args, "--help"],
        env=environ,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return res.stdout


HELPS = [[], ["serve"], ["demo"], ["db", "upgrade"], ["purge"], ["map", "export"], ["map"]]


def test_help_in_english_under_an_english_locale():
    for args in HELPS:
        out = _help(args, ENGLISH)
        assert not FRENCH_LOOKING.search(out) and not ENGLISH_SPACING.search(out), (args, out)


def test_help_in_typographic_french_by_default():
    for args in ([], ["serve"], ["map", "export"]):
        out = _help(args, FRENCH)
        assert "’" in out or "Boîte" in out, out
        assert not re.search(r"\w'\w", out), out
        assert not re.search(r" [:;?!](\s|$)", out), out
        # Click's own words too
        assert out.startswith("Utilisation\u00a0: workshop"), out
        assert "Afficher ce message et quitter." in out and "Options\u00a0:" in out, out
        assert "Usage:" not in out and "Show this message" not in out, out


def test_click_errors_in_french_and_in_english():
    """A bad value: Click's error in the environment's language."""

    def run(env, *args):
        environ = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
        environ.update({k: v for k, v in env.items() if v is not None}, PYTHONPATH=str(ROOT))
        res = subprocess.run(
            [sys.executable, "-m", "workshop", *args], env=environ, capture_output=True,
            text=True, cwd=ROOT,
        )  # fmt: skip
        assert res.returncode == 2, res
        return res.stderr

    french = run(FRENCH, "serve", "--port", "abc")
    assert "Erreur\u00a0: Valeur invalide pour" in french, french
    assert "«\u00a0abc\u00a0» n’est pas un nombre valide." in french, french
    assert "Commande inconnue\u00a0: «\u00a0nope\u00a0»." in run(FRENCH, "nope")
    english = run(ENGLISH, "serve", "--port", "abc")
    assert "Error: Invalid value for '--port': 'abc' is not a valid integer." in english


def test_purge_says_how_many_in_both_languages(tmp_path):
    inst = str(tmp_path / "inst")
    out = CliRunner().invoke(
        cli.cli,
        ["purge", "--dry-run", "--instance", inst],
        env={**FRENCH, "WORKSHOP_AUTO_MIGRATE": "1"},
    )
    assert out.exit_code == 0, out.output
    assert "0 atelier à supprimer." in out.output
    out = CliRunner().invoke(
        cli.cli,
        ["purge", "--dry-run", "--instance", inst],
        env={**ENGLISH, "WORKSHOP_AUTO_MIGRATE": "1"},
    )
    assert "0 workshops to delete." in out.output


def test_click_words_follow_each_run_language_in_process():
    """In one process, a French run then an English one: Click's own words
    follow each run's environment."""
    french = CliRunner().invoke(cli.cli, ["serve", "--port", "abc"], env=FRENCH)
    assert "Valeur invalide pour" in french.output, french.output
    english = CliRunner().invoke(cli.cli, ["serve", "--port", "abc"], env=ENGLISH)
    assert "Invalid value for" in english.output, english.output
    assert "Commande inconnue" in CliRunner().invoke(cli.cli, ["nope"], env=FRENCH).output
