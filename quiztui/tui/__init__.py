"""The Textual front end: it presents the core (decks, study sessions, the store) and holds no
scheduling or storage logic of its own."""
