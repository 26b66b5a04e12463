"""Web views of meetings, trainings and calendars: thin, one module per page group."""
