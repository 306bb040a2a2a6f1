"""Privacy rights in the chat: /privacy, /mydata, /forget."""
