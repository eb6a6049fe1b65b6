"""Phone pages: grid workers and the public report."""
