"""`workshop demo` and `workshop serve` print the address phones will use."""

import ipaddress

from click.testing import CliRunner

from workshop import cli, web


def _demo(tmp_path, monkeypatch, lan, *args, env=None):
    monkeypatch.setattr(web, "lan_address", lambda: lan)
    monkeypatch.delenv("WORKSHOP_PUBLIC_URL", raising=False)
    result = CliRunner().invoke(
        cli.cli,
        ["demo", "--no-serve", "--instance", str(tmp_path / "inst"), *args],
        env=env or {},
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
    assert "Rejoindre (téléphones du même réseau) : https://atelier.example.org/j/" in out


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
        cli.cli, ["serve", "--instance", str(tmp_path / "inst"), "--port", "5001"], env={}
    )
    assert result.exit_code == 0, result.output
    assert "Téléphones du même réseau : http://10.0.0.7:5001/" in result.output
    assert "Sur cet ordinateur : http://localhost:5001/" in result.output
