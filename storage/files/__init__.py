"""Data files read and written: programmes (TOML, CSV, iCalendar), calendars, exports."""
