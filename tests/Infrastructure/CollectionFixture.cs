[assembly: AssemblyFixture(typeof(Gordo.Tests.Infrastructure.TestCollection))]
