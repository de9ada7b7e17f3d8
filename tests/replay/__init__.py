"""Tests of compiled steps: recording, replay, guards, fusion."""
