"""Papers in and out: import a paper file (store/demo/FORMAT.md) as one undoable change, export the record."""
