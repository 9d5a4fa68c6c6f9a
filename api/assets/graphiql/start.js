// Starts GraphiQL against this server's /graphql. A separate file, not an inline script, so the
// page's Content-Security-Policy can forbid inline scripts altogether.
(function () {
  var fetcher = GraphiQL.createFetcher({ url: '/graphql' });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: true,
      defaultHeaders: '{"Authorization": "Bearer "}',
      defaultQuery:
        '# 先登录：mutation { login(username: "renda", password: "jiandu-demo") { token } }\n' +
        '# 再把 token 填进下方 Headers 的 Authorization。\n' +
        '{ overdueMilestones { totalCount nodes { title deadline daysOverdue } } }\n',
    }),
  );
})();
