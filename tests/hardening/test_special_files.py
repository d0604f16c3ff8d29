"""Item: a FIFO or a device given as an input file is refused at once (it would block or
never end), and no file is read past the size limit whatever its reported size."""

from __future__ import annotations

import os
import time

import pytest

from coop_logic import load
from coop_logic.errors import RequestError, SpecError
from coop_logic.model.request import Request

from .cli_helpers import GOOD, assert_refused, run

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "fifo.yaml"
    os.mkfifo(path)
    return path


def test_a_fifo_as_the_request_file_is_refused_at_once(fifo):
    start = time.monotonic()
    proc = run("check", fifo, timeout=20)
    assert_refused(proc, str(fifo), "not a regular file")
    assert time.monotonic() - start < 15


def test_a_fifo_as_a_party_file_or_a_spec_is_refused_at_once(fifo, tmp_path):
    request = tmp_path / "r.yaml"
    request.write_text(GOOD)
    assert_refused(run("check", request, "--parties", fifo, timeout=20), str(fifo),
                   "not a regular file")
    with pytest.raises(SpecError, match="not a regular file"):
        load(extra_specs=[fifo])


def test_dev_zero_as_the_request_file_is_refused_at_once():
    assert_refused(run("check", "/dev/zero", timeout=20), "/dev/zero", "not a regular file")


def test_the_api_refuses_a_device_a_fifo_and_a_folder(fifo, tmp_path):
    with pytest.raises(RequestError, match="not a regular file"):
        Request.from_file("/dev/zero")
    with pytest.raises(RequestError, match="not a regular file"):
        Request.from_file(fifo)
    with pytest.raises(SpecError, match="not a regular file"):
        load(parties=[fifo])
    with pytest.raises(RequestError, match="folder"):
        Request.from_file(tmp_path)
