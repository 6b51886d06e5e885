"""Importing the beneficiary lists offices keep today (CSV, .xlsx): read, map, check, place, write."""
