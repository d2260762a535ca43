"""The command line shell (Typer + Rich). Each feature adds its commands in a module here."""
