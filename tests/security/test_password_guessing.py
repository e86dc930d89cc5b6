"""Password guessing is throttled per account and per address, on the form and the token endpoint."""

from tests.conftest import PASSWORD, csrf_token


def guess_form(client, username: str, password: str = "wrong-guess", address: str = "203.0.113.7"):
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_token(client)},
        environ_base={"REMOTE_ADDR": address},
    )


def guess_token(client, username: str, password: str = "wrong-guess", address: str = "203.0.113.7"):
    return client.post(
        "/api/auth/token", json={"username": username, "password": password}, environ_base={"REMOTE_ADDR": address}
    )


def test_one_address_guessing_many_accounts_is_stopped(app, client):
    """After the limit, one address gets 429 even when it moves on to other usernames."""
    app.config["LOGIN_RATE_LIMIT"] = "5 per minute"
    codes = [guess_form(client, name).status_code for name in ("a1", "a2", "a3", "a4", "a5", "a6")]
    assert codes[:5] == [401] * 5 and codes[5] == 429


def test_one_account_guessed_from_many_addresses_is_stopped(app, client):
    """After the limit, guesses at one account are refused whatever address they come from."""
    app.config["LOGIN_RATE_LIMIT"] = "5 per minute"
    codes = [guess_token(client, "host", address=f"198.51.100.{n}").status_code for n in range(1, 7)]
    assert codes[:5] == [401] * 5 and codes[5] == 429
    body = guess_token(client, "host", PASSWORD, address="198.51.100.99").get_json()
    assert body == {"error": "rate_limited", "message": "Too many requests. Please slow down."}


def test_other_staff_can_still_sign_in_while_one_account_is_attacked(app, client):
    """A throttled account does not lock out colleagues on other addresses."""
    app.config["LOGIN_RATE_LIMIT"] = "5 per minute"
    for n in range(6):
        guess_token(client, "host", address=f"198.51.100.{n}")
    assert guess_token(client, "viewer", PASSWORD, address="192.0.2.10").status_code == 200
