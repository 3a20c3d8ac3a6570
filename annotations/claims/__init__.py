"""Claims: one claim checked once, found in many articles and languages."""
