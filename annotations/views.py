from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from annotations.models import Article


@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.only("id", "title", "language", "publisher")
    return render(request, "annotations/article_list.html", {"articles": articles})
