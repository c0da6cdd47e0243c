public partial class Program { public static void Main() {} }
