# The candidate's pages.
