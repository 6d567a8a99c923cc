# The admin's pages.
