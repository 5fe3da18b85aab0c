/// The page `GET /` serves: plain HTML and a little script, no build step (owned by the page's author).
enum WebPage {
    static let html = """
        <!doctype html><title>runner</title><p>runner serve</p>
        """
}
