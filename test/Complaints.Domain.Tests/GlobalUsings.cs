global using Complaints.Domain;
global using Shouldly;
global using Xunit;
global using static Complaints.Domain.Tests.Dsl;
global using static Complaints.Domain.Tests.Facts;
