"""Progress callbacks, and cancelling: Ctrl-C (SIGINT) or an exception in the callback stops
the engine job and propagates; the model stays usable."""

import os
import signal
import subprocess
import time

import numpy as np
import pytest

A, B = "A man is playing a guitar.", "A man is not playing a guitar."


def test_progress_reports_every_layer(golden_model):
    seen = []
    golden_model.attribute(A, B, steps=8, chunk=2, progress=seen.append)
    assert seen, "no progress"
    fractions = [p["fraction"] for p in seen]
    assert fractions == sorted(fractions) and 0 <= fractions[0] and fractions[-1] <= 1
    assert {p["layer"] for p in seen} >= set(range(golden_model.num_layers))
    assert all(p["layers_total"] == golden_model.num_layers for p in seen)


def test_exception_in_callback_propagates(golden_model):
    calls = []

    def boom(p):
        calls.append(p)
        raise ValueError("stop here")

    with pytest.raises(ValueError, match="stop here"):
        golden_model.attribute(A, B, steps=8, chunk=1, progress=boom)
    assert len(calls) == 1  # cancelled at once, the callback is not called again


def test_keyboard_interrupt_from_callback(golden_model):
    def interrupt(p):
        os.kill(os.getpid(), signal.SIGINT)

    with pytest.raises(KeyboardInterrupt):
        golden_model.attribute(A, B, steps=8, chunk=1, progress=interrupt)
    # Still usable, and the same numbers as before.
    r1 = golden_model.attribute(A, B, steps=4)
    r2 = golden_model.attribute(A, B, steps=4)
    assert np.array_equal(r1.attribution, r2.attribution)


def test_ctrl_c_without_callback_cancels_a_long_job(golden_model):
    # A long job (one step per pass); SIGINT comes from another process mid-way, as Ctrl-C in a
    # terminal or a notebook's "interrupt kernel" does. (A Python thread could not send it: the
    # job holds the GIL.)
    t0 = time.monotonic()
    golden_model.attribute(A, B, steps=40, chunk=1, layers=[0])
    one_layer = time.monotonic() - t0  # the full job below is ~40 of these
    delay = max(0.2, one_layer)
    killer = subprocess.Popen(["sh", "-c", f"sleep {delay:.3f}; kill -INT {os.getpid()}"])
    start = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            golden_model.attribute(A, B, steps=400, chunk=1)
            time.sleep(30)  # not cancelled: wait for the signal so that it fails here, not later
    finally:
        killer.wait()
    elapsed = time.monotonic() - start
    assert elapsed < delay + 5 * one_layer + 1.0, (elapsed, one_layer)
