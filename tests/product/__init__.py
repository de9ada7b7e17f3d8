"""Tests of what users run: the command, the app, the docs and tutorials, the README, examples, pictures, lessons and the course's programs, and the bad inputs a careful user tries."""
