# The verifier's pages.
