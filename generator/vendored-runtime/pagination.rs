//! Page- and item-level streams over paginated operations.
//!
//! The exact signatures (all return `impl Stream`; nothing is sent until the
//! stream is first polled; a stream is `Send` when its inputs are; after an
//! error the stream ends):
//!
//! ```text
//! pub fn token_pages<B, P, F, Fut, E>(
//!     builder: B,
//!     fetch: F,
//!     next_token: fn(&P) -> Option<String>,
//!     page_len: fn(&P) -> usize,
//! ) -> impl Stream<Item = Result<P, Error<E>>>
//! where
//!     B: Clone,
//!     F: FnMut(B, Option<String>) -> Fut,
//!     Fut: Future<Output = Result<P, Error<E>>>;
//!
//! pub fn offset_pages<B, P, F, Fut, E>(
//!     builder: B,
//!     first_offset: i64,
//!     fetch: F,
//!     page_len: fn(&P) -> usize,
//!     total: fn(&P) -> Option<i64>,
//! ) -> impl Stream<Item = Result<P, Error<E>>>
//! where
//!     B: Clone,
//!     F: FnMut(B, i64) -> Fut,
//!     Fut: Future<Output = Result<P, Error<E>>>;
//!
//! pub fn page_number_pages<B, P, F, Fut, E>(
//!     builder: B,
//!     first_page: i64,
//!     fetch: F,
//!     page_len: fn(&P) -> usize,
//!     last_page: fn(&P) -> Option<i64>,
//! ) -> impl Stream<Item = Result<P, Error<E>>>
//! where
//!     B: Clone,
//!     F: FnMut(B, i64) -> Fut,
//!     Fut: Future<Output = Result<P, Error<E>>>;
//!
//! pub fn link_pages<B, P, F, Fut, E>(
//!     builder: B,
//!     fetch: F,
//!     page_len: fn(&P) -> usize,
//! ) -> impl Stream<Item = Result<P, Error<E>>>
//! where
//!     B: Clone,
//!     F: FnMut(B, Option<String>) -> Fut,            // `None`, then each next-page URL
//!     Fut: Future<Output = Result<Response<P>, Error<E>>>;
//!
//! pub fn items<P, T, E>(
//!     pages: impl Stream<Item = Result<P, Error<E>>>,
//!     into_items: fn(P) -> Vec<T>,
//! ) -> impl Stream<Item = Result<T, Error<E>>>;
//! ```
//!
//! `E` is the operation's error type (see [`Error`]).
//!
//! `builder` is the operation's request builder; it is cloned for each page
//! and handed to `fetch` with the page token (`None` for the first page) or
//! the offset. Generated code calls them like:
//!
//! ```text
//! runtime::token_pages(
//!     self,
//!     |b: Self, token| async move { b.page_token_opt(token).send().await },
//!     |p| p.pagination.next_page_token.clone(),
//!     |p| p.items.len(),
//! )
//! ```
//!
//! `P` is whatever `fetch` returns: a page model, or a
//! [`Response`](super::Response) of one (which derefs to its body).

use std::collections::HashSet;
use std::future::Future;

use futures::stream::{self, Stream, TryStreamExt};

use super::error::Error;
use super::link::next_link;
use super::response::Response;

/// Pages of a token-paginated operation.
///
/// Stops after a page whose next token is absent or empty, or repeats a
/// token already used (a server bug that would otherwise loop forever). An
/// empty page ends the stream and is not yielded.
pub fn token_pages<B, P, F, Fut, E>(
    builder: B,
    fetch: F,
    next_token: fn(&P) -> Option<String>,
    page_len: fn(&P) -> usize,
) -> impl Stream<Item = Result<P, Error<E>>>
where
    B: Clone,
    F: FnMut(B, Option<String>) -> Fut,
    Fut: Future<Output = Result<P, Error<E>>>,
{
    struct State<B, F> {
        builder: B,
        fetch: F,
        token: Option<String>,
        seen: HashSet<String>,
        done: bool,
    }
    let state = State { builder, fetch, token: None, seen: HashSet::new(), done: false };
    stream::try_unfold(state, move |mut state| async move {
        if state.done {
            return Ok(None);
        }
        let page = (state.fetch)(state.builder.clone(), state.token.take()).await?;
        if page_len(&page) == 0 {
            return Ok(None);
        }
        match next_token(&page).filter(|token| !token.is_empty()) {
            Some(token) if state.seen.insert(token.clone()) => state.token = Some(token),
            _ => state.done = true,
        }
        Ok(Some((page, state)))
    })
}

/// Pages of an offset-paginated operation, starting at `first_offset`.
///
/// The next offset is the current one plus the page's length. Stops after a
/// page that reaches `total` (when the page reports one); an empty page ends
/// the stream and is not yielded.
pub fn offset_pages<B, P, F, Fut, E>(
    builder: B,
    first_offset: i64,
    fetch: F,
    page_len: fn(&P) -> usize,
    total: fn(&P) -> Option<i64>,
) -> impl Stream<Item = Result<P, Error<E>>>
where
    B: Clone,
    F: FnMut(B, i64) -> Fut,
    Fut: Future<Output = Result<P, Error<E>>>,
{
    let advance = Advance {
        next: |offset, len| offset.saturating_add(i64::try_from(len).unwrap_or(i64::MAX)),
        bound: total,
        past_bound: |next, total| next >= total,
    };
    counted_pages(builder, first_offset, fetch, page_len, advance)
}

/// Pages of an operation numbered by a page parameter (`page=1`, `page=2`,
/// …), starting at `first_page`.
///
/// The next page number is the current one plus one. Stops after the page
/// numbered `last_page` (when the page reports the page count); an empty page
/// ends the stream and is not yielded.
pub fn page_number_pages<B, P, F, Fut, E>(
    builder: B,
    first_page: i64,
    fetch: F,
    page_len: fn(&P) -> usize,
    last_page: fn(&P) -> Option<i64>,
) -> impl Stream<Item = Result<P, Error<E>>>
where
    B: Clone,
    F: FnMut(B, i64) -> Fut,
    Fut: Future<Output = Result<P, Error<E>>>,
{
    let advance =
        Advance { next: |page, _len| page.saturating_add(1), bound: last_page, past_bound: |next, last| next > last };
    counted_pages(builder, first_page, fetch, page_len, advance)
}

/// How a counted stream (offsets or page numbers) moves on and when it ends.
struct Advance<P> {
    /// The next position from the current one and the page's length.
    next: fn(i64, usize) -> i64,
    /// The bound the page reports (a total, a page count), if any.
    bound: fn(&P) -> Option<i64>,
    /// Whether the next position lies past that bound.
    past_bound: fn(i64, i64) -> bool,
}

// Not derived: a derive would require `P: Copy`.
impl<P> Clone for Advance<P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P> Copy for Advance<P> {}

/// The stream behind [`offset_pages`] and [`page_number_pages`].
fn counted_pages<B, P, F, Fut, E>(
    builder: B,
    first: i64,
    fetch: F,
    page_len: fn(&P) -> usize,
    advance: Advance<P>,
) -> impl Stream<Item = Result<P, Error<E>>>
where
    B: Clone,
    F: FnMut(B, i64) -> Fut,
    Fut: Future<Output = Result<P, Error<E>>>,
{
    struct State<B, F> {
        builder: B,
        fetch: F,
        /// `None` once the last page was yielded.
        position: Option<i64>,
    }
    let state = State { builder, fetch, position: Some(first) };
    stream::try_unfold(state, move |mut state| async move {
        let Some(position) = state.position else {
            return Ok(None);
        };
        let page = (state.fetch)(state.builder.clone(), position).await?;
        let len = page_len(&page);
        if len == 0 {
            return Ok(None);
        }
        let next = (advance.next)(position, len);
        state.position = match (advance.bound)(&page) {
            Some(bound) if (advance.past_bound)(next, bound) => None,
            _ if next == i64::MAX => None,
            _ => Some(next),
        };
        Ok(Some((page, state)))
    })
}

/// Pages of an operation paginated by RFC 8288 `Link: <…>; rel="next"`
/// response headers (GitHub style).
///
/// `fetch` gets `None` for the first page (the builder as the caller set
/// it) and then the next-page URL, which it passes to
/// [`CallOptions::next_page_url`](super::CallOptions::next_page_url); it
/// returns the page with its headers. Stops after a page without a next
/// link or whose next link was already followed; an empty page ends the
/// stream and is not yielded.
pub fn link_pages<B, P, F, Fut, E>(
    builder: B,
    fetch: F,
    page_len: fn(&P) -> usize,
) -> impl Stream<Item = Result<P, Error<E>>>
where
    B: Clone,
    F: FnMut(B, Option<String>) -> Fut,
    Fut: Future<Output = Result<Response<P>, Error<E>>>,
{
    struct State<B, F> {
        builder: B,
        fetch: F,
        next: Option<String>,
        seen: HashSet<String>,
        done: bool,
    }
    let state = State { builder, fetch, next: None, seen: HashSet::new(), done: false };
    stream::try_unfold(state, move |mut state| async move {
        if state.done {
            return Ok(None);
        }
        let response = (state.fetch)(state.builder.clone(), state.next.take()).await?;
        if page_len(&response.body) == 0 {
            return Ok(None);
        }
        match next_link(&response.headers) {
            Some(url) if state.seen.insert(url.clone()) => state.next = Some(url),
            _ => state.done = true,
        }
        Ok(Some((response.body, state)))
    })
}

/// The next cursor of a Stripe-style page (`has_more` plus items with an
/// `id`, the next request's `starting_after` being the last item's id):
/// `None` when there is no more, the page is empty or the last item has no id.
pub fn cursor_from_last_item<T>(has_more: bool, items: &[T], id: fn(&T) -> Option<String>) -> Option<String> {
    if !has_more {
        return None;
    }
    items.last().and_then(id)
}

/// Flattens a stream of pages into a stream of their items.
pub fn items<P, T, E>(
    pages: impl Stream<Item = Result<P, Error<E>>>,
    into_items: fn(P) -> Vec<T>,
) -> impl Stream<Item = Result<T, Error<E>>> {
    pages.map_ok(move |page| stream::iter(into_items(page).into_iter().map(Ok::<T, Error<E>>))).try_flatten()
}
