"""The operator page: static files shipped in the package, served at `/` with no build step and no CDN."""
