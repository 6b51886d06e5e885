"""Tests of the web pages: served safely, fully translated, and working end to end in a browser."""
