"""Composition root: settings, logging, the database (embedded or configured), reference
data, and the ``petitions`` command line. api/ and workers/ import it; it imports them
only inside the command line, so neither depends on the other."""
